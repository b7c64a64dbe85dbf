import { setTimeout as sleep } from 'node:timers/promises';
import { appendAuditNow } from '../audit/audit.repo.js';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { findNoticeByTokenHash, type NoticeRow } from '../notices/notice.repo.js';
import { factorMatches, hashToken, isWellFormedToken, mintToken } from '../notices/portal-token.js';
import { findParty } from '../parties/party.repo.js';
import { TooManyRequestsError } from '../shared/errors.js';
import type { RateLimiter } from '../shared/rate-limiter.js';
import { findPortalSession, insertPortalSession, type PortalSessionRow } from './portal.repo.js';

/**
 * Opening a notice: the link's token plus a second factor the party knows. The answer is the same, and takes at
 * least the same time, for an unknown link, an expired one and a wrong factor, so neither the words nor the
 * timing tell which links exist. Tries are limited per link and per client address (RateLimiter, shared by all
 * API processes); a limited try gets the same 429 for any link.
 */

/** Why a second factor did not open the link: one refusal for an unknown link, an expired one and a wrong factor. */
export type VerifyRefusal = 'verify_failed' | 'rate_limited';

/** A new session (its id goes in the cookie), or the refusal the form is shown again with. */
export type VerifyOutcome = { sessionId: string; notice: NoticeRow } | { refused: VerifyRefusal };

export interface PortalAccess {
  tokenHash: Buffer;
  notice: NoticeRow;
  session: PortalSessionRow;
}

const WINDOW_S = 15 * 60;

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
  ) {}

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
   * TooManyRequestsError past PORTAL_REQUESTS_PER_MINUTE requests of the session.
   */
  async resolve(token: string, sessionId: string | undefined): Promise<PortalAccess | null> {
    if (!sessionId || !isWellFormedToken(token) || !isWellFormedToken(sessionId)) return null;
    const tokenHash = hashToken(token);
    const [session, notice] = await Promise.all([
      findPortalSession(this.pool, hashToken(sessionId), tokenHash),
      findNoticeByTokenHash(this.pool, tokenHash),
    ]);
    if (!session || !notice || notice.id !== session.notice_id) return null;
    // One session, one person: a script looping over the pages gets 429 instead of the database's time.
    await this.limiter.hit(
      `portal:session:${hashToken(sessionId).toString('hex')}`,
      this.config.portalRequestsPerMinute,
      60,
    );
    return { tokenHash, notice, session };
  }
}
