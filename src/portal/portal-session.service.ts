import { setTimeout as sleep } from 'node:timers/promises';
import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { findCaseByNumber } from '../cases/case.repo.js';
import type { Config } from '../config/config.js';
import { withTransaction, type Pool } from '../db/pool.js';
import {
  findNoticeByTokenHash,
  insertPortalToken,
  latestIssuedCaseNotice,
  type NoticeRow,
} from '../notices/notice.repo.js';
import { factorMatches, hashToken, isWellFormedToken, mintToken } from '../notices/portal-token.js';
import { findParty } from '../parties/party.repo.js';
import { TooManyRequestsError } from '../shared/errors.js';
import { BatchedRateLimiter } from '../shared/batched-rate-limiter.js';
import { GroupedCalls } from '../shared/grouped-calls.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { readCaseNumber } from './case-lookup.js';
import {
  findPortalAccesses,
  insertPortalSession,
  type PortalAccessRow,
  type PortalSessionRow,
} from './portal.repo.js';

/**
 * Opening a notice: the link's token plus a second factor the party knows. The answer is the same, and takes at
 * least the same time, for an unknown link, an expired one and a wrong factor, so neither the words nor the
 * timing tell which links exist. Tries are limited per link and per client address (RateLimiter, shared by all
 * API processes); a limited try gets the same 429 for any link.
 *
 * A party without the link (a postal recipient, or one who scanned the QR code on the paper document) opens
 * the case by its number and the same second factor: the same refusal for an unknown number and a wrong factor,
 * the same minimum time, the per-address limit shared with the links and a per-case limit like the per-link
 * one. It then gets a link of its own (a fresh token on the case's latest document, never shown to anyone else)
 * and the same session, so everything after is what the SMS link gives.
 */

/** Why a second factor did not open the link: one refusal for an unknown link, an expired one and a wrong factor. */
export type VerifyRefusal = 'verify_failed' | 'rate_limited';

/** A new session (its id goes in the cookie), or the refusal the form is shown again with. */
export type VerifyOutcome = { sessionId: string; notice: NoticeRow } | { refused: VerifyRefusal };

/** A link and its session opened from the case number, or the refusal the form is shown again with. */
export type CaseOpenOutcome = { token: string; sessionId: string } | { refused: VerifyRefusal };

export interface PortalAccess {
  tokenHash: Buffer;
  notice: NoticeRow;
  session: PortalSessionRow;
}

const WINDOW_S = 15 * 60;

/**
 * How long a session found valid is taken as valid again without asking Postgres: a session or link that is
 * revoked (deleted) or expires stops opening pages within this bound. Only sessions found valid are kept.
 */
export const PORTAL_SESSION_CACHE_MS = 1_000;
/**
 * How often each process sends a session's page count to Redis (see BatchedRateLimiter): a session spread over
 * several API processes may get this long's worth of pages from each past its limit before all of them refuse.
 */
const PAGE_LIMIT_SEND_MS = 1_000;
/** At most this many sessions are kept; past it the oldest go first. */
const SESSION_CACHE_MAX = 20_000;

export class PortalSessionService {
  constructor(
    private readonly pool: Pool,
    private readonly limiter: RateLimiter,
    private readonly config: Pick<
      Config,
      | 'portalSessionTtlMinutes'
      | 'portalVerifyLimitPerToken'
      | 'portalVerifyLimitPerAddress'
      | 'portalVerifyFloorMs'
      | 'portalRequestsPerMinute'
    >,
  ) {
    this.pageLimiter = new BatchedRateLimiter(limiter, PAGE_LIMIT_SEND_MS);
    this.lookups = new GroupedCalls((keys) => findPortalAccesses(pool, keys), { inFlight: 2 });
  }

  /**
   * Sessions looked up in Postgres: the lookups asked for while one query is in flight go together in the next
   * (a crowd whose sessions are not kept, each party reloading once a second, costs a few queries, not one a
   * request). A lookup always goes in a query sent after it was asked for, so `fresh` still means now.
   */
  private readonly lookups: GroupedCalls<{ idHash: Buffer; tokenHash: Buffer }, PortalAccessRow | null>;

  /** the per-session limit on pages, counted in the process and sent to Redis in batches */
  private readonly pageLimiter: BatchedRateLimiter;

  /**
   * Sessions found valid within PORTAL_SESSION_CACHE_MS, by the cookie's session id and the link's token as
   * sent: a page on a kept session hashes neither. Held in this process's memory only, for at most that long;
   * what goes to Postgres and Redis is the hashes, as everywhere else.
   */
  private readonly valid = new Map<string, { access: PortalAccess; until: number; limitKey: string }>();

  /** Opens a session, or says why not; every answer takes at least PORTAL_VERIFY_FLOOR_MS. */
  async verify(token: string, answer: string, ip: string): Promise<VerifyOutcome> {
    const started = Date.now();
    try {
      return await this.check(token, answer, ip);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return { refused: 'rate_limited' };
      throw error;
    } finally {
      const left = this.config.portalVerifyFloorMs - (Date.now() - started);
      if (left > 0) await sleep(left);
    }
  }

  /** Opens the case by its number as `verify` opens a link; every answer takes at least PORTAL_VERIFY_FLOOR_MS. */
  async openCase(typedNumber: string, answer: string, ip: string): Promise<CaseOpenOutcome> {
    const started = Date.now();
    try {
      return await this.checkCase(typedNumber, answer, ip);
    } catch (error) {
      if (error instanceof TooManyRequestsError) return { refused: 'rate_limited' };
      throw error;
    } finally {
      const left = this.config.portalVerifyFloorMs - (Date.now() - started);
      if (left > 0) await sleep(left);
    }
  }

  private async checkCase(typedNumber: string, answer: string, ip: string): Promise<CaseOpenOutcome> {
    const caseNumber = readCaseNumber(typedNumber);
    // Keyed on what was typed when it is no case number, so a limited unknown number looks like a real one.
    const caseKey = `portal:verify:case:${hashToken(caseNumber ?? typedNumber.trim()).toString('hex')}`;
    await this.limiter.hit(`portal:verify:ip:${ip}`, this.config.portalVerifyLimitPerAddress, WINDOW_S);
    await this.limiter.hit(caseKey, this.config.portalVerifyLimitPerToken, WINDOW_S);
    const row = caseNumber ? await findCaseByNumber(this.pool, caseNumber) : null;
    const notice = row ? await latestIssuedCaseNotice(this.pool, row.id) : null;
    const party = notice && row?.party_id ? await findParty(this.pool, row.party_id) : null;
    const matched = factorMatches(answer, party);
    if (!row || !notice || !party || !matched) {
      if (notice) {
        await appendAuditNow(this.pool, {
          actorKind: 'party',
          actorId: row?.party_id ?? null,
          action: 'portal.verify_failed',
          subjectKind: 'notice',
          subjectId: notice.id,
          districtId: row?.district_id ?? null,
          data: { ip, via: 'case_number' },
        });
      }
      return { refused: 'verify_failed' };
    }
    await this.limiter.reset(caseKey);
    const link = mintToken();
    const session = mintToken();
    const expiresAt = new Date(Date.now() + this.config.portalSessionTtlMinutes * 60_000);
    await withTransaction(this.pool, async (tx) => {
      await insertPortalToken(tx, { hash: link.hash, noticeId: notice.id, deliveryId: null, expiresAt });
      await insertPortalSession(tx, {
        idHash: session.hash,
        tokenHash: link.hash,
        noticeId: notice.id,
        caseId: row.id,
        partyId: party.id,
        ip,
        expiresAt,
      });
      await appendAudit(tx, {
        actorKind: 'party',
        actorId: party.id,
        action: 'portal.open',
        subjectKind: 'notice',
        subjectId: notice.id,
        districtId: row.district_id,
        data: { caseId: row.id, ip, via: 'case_number' },
      });
    });
    return { token: link.token, sessionId: session.token };
  }

  private async check(token: string, answer: string, ip: string): Promise<VerifyOutcome> {
    const tokenHash = hashToken(token);
    const tokenKey = `portal:verify:token:${tokenHash.toString('hex')}`;
    await this.limiter.hit(`portal:verify:ip:${ip}`, this.config.portalVerifyLimitPerAddress, WINDOW_S);
    await this.limiter.hit(tokenKey, this.config.portalVerifyLimitPerToken, WINDOW_S);
    const notice = isWellFormedToken(token) ? await findNoticeByTokenHash(this.pool, tokenHash) : null;
    const party = notice?.party_id ? await findParty(this.pool, notice.party_id) : null;
    const matched = factorMatches(answer, party);
    if (!notice || !party || !matched) {
      if (notice) {
        await appendAuditNow(this.pool, {
          actorKind: 'party',
          actorId: notice.party_id,
          action: 'portal.verify_failed',
          subjectKind: 'notice',
          subjectId: notice.id,
          data: { ip },
        });
      }
      return { refused: 'verify_failed' };
    }
    await this.limiter.reset(tokenKey);
    const session = mintToken();
    await insertPortalSession(this.pool, {
      idHash: session.hash,
      tokenHash,
      noticeId: notice.id,
      caseId: notice.case_id,
      partyId: party.id,
      ip,
      expiresAt: new Date(Date.now() + this.config.portalSessionTtlMinutes * 60_000),
    });
    await appendAuditNow(this.pool, {
      actorKind: 'party',
      actorId: party.id,
      action: 'portal.open',
      subjectKind: 'notice',
      subjectId: notice.id,
      data: { caseId: notice.case_id, ip },
    });
    return { sessionId: session.token, notice };
  }

  /**
   * The notice and session behind a request, or null when the link or the session does not hold; throws
   * TooManyRequestsError past PORTAL_REQUESTS_PER_MINUTE requests of the session. A page may be answered on a
   * session found valid in the last PORTAL_SESSION_CACHE_MS; a step (`fresh`) is always checked in Postgres.
   */
  async resolve(
    token: string,
    sessionId: string | undefined,
    opts: { fresh?: boolean } = {},
  ): Promise<PortalAccess | null> {
    if (!sessionId || !isWellFormedToken(token) || !isWellFormedToken(sessionId)) return null;
    const found = await this.validAccess(sessionId, token, opts.fresh ?? false);
    if (!found) return null;
    // One session, one person: a script looping over the pages gets 429 instead of the database's time.
    await this.pageLimiter.hit(found.limitKey, this.config.portalRequestsPerMinute, 60);
    return found.access;
  }

  /** The session and its notice, from the last PORTAL_SESSION_CACHE_MS or else from Postgres (one query). */
  private async validAccess(
    sessionId: string,
    token: string,
    fresh: boolean,
  ): Promise<{ access: PortalAccess; limitKey: string } | null> {
    const key = `${sessionId}:${token}`;
    const now = Date.now();
    const kept = this.valid.get(key);
    if (kept && kept.until > now && !fresh) return kept;
    this.valid.delete(key);
    const tokenHash = hashToken(token);
    const idHash = hashToken(sessionId);
    const found = await this.lookups.call({ idHash, tokenHash });
    if (!found) return null;
    const access = { tokenHash, notice: found.notice, session: found.session };
    const limitKey = `portal:session:${idHash.toString('hex')}`;
    if (this.valid.size >= SESSION_CACHE_MAX) {
      for (const old of [...this.valid.keys()].slice(0, SESSION_CACHE_MAX / 4)) this.valid.delete(old);
    }
    // Never past the session's own expiry. Kept between half and all of the bound, so that sessions opened
    // together are not all asked for again in the same instant.
    const keep = PORTAL_SESSION_CACHE_MS * (0.5 + Math.random() * 0.5);
    const until = Math.min(now + keep, found.session.expires_at.getTime());
    const entry = { access, until, limitKey };
    this.valid.set(key, entry);
    return entry;
  }
}
