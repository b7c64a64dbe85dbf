import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCase, listCaseEvents } from '../../src/cases/case.repo.js';
import type { Queryable } from '../../src/db/pool.js';
import { insertHearingRequest } from '../../src/cases/hearing.repo.js';
import { findNoticeByTokenHash, listCaseNotices } from '../../src/notices/notice.repo.js';
import { hashToken } from '../../src/notices/portal-token.js';
import { insertPayment, paymentsOfCase } from '../../src/payments/payment.repo.js';
import { PORTAL_SESSION_CACHE_MS } from '../../src/portal/portal-session.service.js';
import { PORTAL_CASE_DATA_MS } from '../../src/portal/portal.service.js';
import {
  findHearing,
  insertStatement,
  listStatements,
  findPortalAccesses,
  portalCaseDataOf,
  type PortalEvidenceRow,
} from '../../src/portal/portal.repo.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

/**
 * The notice page's hot path: its case data in one query, and what the API process keeps for a moment (a
 * validated session for PORTAL_SESSION_CACHE_MS, a notice's case data for PORTAL_CASE_DATA_MS). Revoking a
 * session or a link, and a staff step on the case, must show within those bounds; the party's own step at once.
 */

let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld();
});
afterAll(() => world.close());

async function openedCase() {
  const opened = await caseWithLink(world);
  const browser = new PartyBrowser(world.baseUrl);
  expect((await browser.verify(opened.token, '8000')).status).toBe(303);
  const noticeId = (await findNoticeByTokenHash(world.ctx.pool, hashToken(opened.token)))!.id;
  return { ...opened, browser, noticeId };
}

const portalCaseData = async (pool: Queryable, noticeId: string) =>
  (await portalCaseDataOf(pool, [noticeId]))[0]!;

/** A notice's evidence as the notice page lists it, read on its own: what the one query must agree with. */
async function evidenceOfNotice(pool: Queryable, noticeId: string): Promise<PortalEvidenceRow[]> {
  const { rows } = await pool.query<PortalEvidenceRow>(
    `select e.id, e.kind, e.label, e.sha256, e.content_type, e.storage_key, e.captured_at
       from notices n join evidence_items e on e.violation_id = coalesce(n.violation_id, (select violation_id from cases where id = n.case_id))
      where n.id = $1 and e.kind <> 'manifest'
      order by case e.kind when 'original' then 0 when 'annotated' then 1 else 2 end, e.captured_at nulls last, e.label`,
    [noticeId],
  );
  return rows;
}

/** The notice page when the session holds, null when the link shows the second-factor form instead. */
async function noticePage(browser: PartyBrowser, token: string): Promise<string | null> {
  const page = await browser.get(`/n/${token}`);
  expect(page.status).toBe(200);
  const html = await page.text();
  return html.includes('id="case-number"') ? html : null;
}

describe('the notice page case data in one query', () => {
  it('returns what the repos return part by part, for a case with events, documents, a statement, a hearing and payments', async () => {
    const { caseId, noticeId, browser, token } = await openedCase();
    const pool = world.ctx.pool;
    expect((await browser.post(`/n/${token}/acknowledge`, { noticeId })).status).toBe(303);
    await insertStatement(pool, caseId, '我对处罚有异议', []);
    await insertHearingRequest(pool, caseId);
    for (const orderId of ['o-1', 'o-2'])
      await insertPayment(pool, {
        caseId,
        amountFen: 20_000,
        fineFen: 20_000,
        lateFeeFen: 0,
        gateway: 'sandbox',
        orderId: `${caseId}-${orderId}`,
        dueOn: '2026-12-31',
      });

    const data = (await portalCaseData(pool, noticeId))!;
    const notices = await listCaseNotices(pool, caseId);
    expect(data.notice).toEqual(notices.find((n) => n.id === noticeId));
    expect(data.caseRow).toEqual(await findCase(pool, caseId));
    expect(data.notices).toEqual(notices);
    expect(data.hearing).toEqual(await findHearing(pool, caseId));
    expect(data.events).toEqual((await listCaseEvents(pool, caseId)).map(({ kind, at }) => ({ kind, at })));
    expect(data.events.length).toBeGreaterThan(1);
    expect(data.evidence).toEqual(await evidenceOfNotice(pool, noticeId));
    expect(data.evidence.length).toBe(2);
    expect(data.statements).toEqual(await listStatements(pool, caseId));
    expect(data.payments).toEqual(await paymentsOfCase(pool, caseId));
    expect(data.payments.map((p) => p.status)).toEqual(['expired', 'pending']);
    expect(data.caseRow!.filed_at).toBeInstanceOf(Date);
  });

  it('returns nothing for an unknown notice', async () => {
    expect(await portalCaseData(world.ctx.pool, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('answers several notices in one query, each its own, in the order asked', async () => {
    const [a, b] = [await openedCase(), await openedCase()];
    const unknown = '00000000-0000-4000-8000-000000000000';
    const many = await portalCaseDataOf(world.ctx.pool, [b.noticeId, unknown, a.noticeId, b.noticeId]);
    expect(many[0]).toEqual(await portalCaseData(world.ctx.pool, b.noticeId));
    expect(many[1]).toBeNull();
    expect(many[2]).toEqual(await portalCaseData(world.ctx.pool, a.noticeId));
    expect(many[2]!.caseRow!.id).toBe(a.caseId);
    expect(many[3]!.caseRow!.id).toBe(b.caseId);
  });

  it("looks up several sessions in one query: each its own, none through another's link", async () => {
    const [a, b] = [await openedCase(), await openedCase()];
    const { rows } = await world.ctx.pool.query<{ id_hash: Buffer; token_hash: Buffer }>(
      'select id_hash, token_hash from portal_sessions where token_hash = any($1) order by created_at',
      [[hashToken(a.token), hashToken(b.token)]],
    );
    const [sa, sb] = [
      rows.find((r) => r.token_hash.equals(hashToken(a.token)))!,
      rows.find((r) => r.token_hash.equals(hashToken(b.token)))!,
    ];
    const found = await findPortalAccesses(world.ctx.pool, [
      { idHash: sb.id_hash, tokenHash: sb.token_hash },
      { idHash: sa.id_hash, tokenHash: sb.token_hash }, // a's session on b's link
      { idHash: hashToken('no-such-session'), tokenHash: sa.token_hash },
      { idHash: sa.id_hash, tokenHash: sa.token_hash },
    ]);
    expect(found.map((f) => f?.notice.id ?? null)).toEqual([b.noticeId, null, null, a.noticeId]);
    expect(found[3]!.session.case_id).toBe(a.caseId);
  });
});

describe('what the API keeps for a moment', () => {
  it('serves each party its own notice when many load their pages at once', async () => {
    // Opened one after another: each takes the link the gateway received last.
    const parties: Awaited<ReturnType<typeof openedCase>>[] = [];
    for (let i = 0; i < 4; i++) parties.push(await openedCase());
    const numbers = new Map<string, string>();
    for (const { caseId } of parties)
      numbers.set(caseId, (await findCase(world.ctx.pool, caseId))!.case_number);
    // Forty pages at once, ten a party: lookups and case data go in grouped queries, answers must not mix.
    const pages = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const party = parties[i % parties.length]!;
        return { party, page: await noticePage(party.browser, party.token) };
      }),
    );
    for (const { party, page } of pages) {
      expect(page).toContain(`<h1 id="case-number">${numbers.get(party.caseId)}</h1>`);
      for (const other of parties) if (other !== party) expect(page).not.toContain(numbers.get(other.caseId));
    }
    const views = await world.ctx.pool.query<{ n: number }>(
      `select count(*)::int as n from (select subject_id from audit_log where action = 'portal.view'
        union all select subject_id from audit_outbox where action = 'portal.view') v where subject_id = any($1)`,
      [parties.map((p) => p.caseId)],
    );
    expect(views.rows[0]!.n).toBe(40);
  });

  it('renders a kept page in the language asked, and with the flash of a step just taken', async () => {
    const { token, browser } = await openedCase();
    const zh = await noticePage(browser, token);
    expect(zh).toContain('<html lang="zh-CN">');
    expect(await noticePage(browser, token)).toBe(zh);
    const en = await browser.get(`/n/${token}?lang=en`);
    expect(await en.text()).toContain('<html lang="en">');
    const flash = await browser.get(`/n/${token}?done=statement`);
    expect(await flash.text()).toContain('id="portal-flash"');
    expect(await noticePage(browser, token)).not.toContain('id="portal-flash"');
  });

  it('takes no step on a revoked session, and stops serving its pages within PORTAL_SESSION_CACHE_MS', async () => {
    const { token, browser, noticeId } = await openedCase();
    expect(await noticePage(browser, token)).not.toBeNull();
    await world.ctx.pool.query('delete from portal_sessions where token_hash = $1', [hashToken(token)]);
    // A step asks Postgres at once, whatever the process kept: back to the second-factor form, nothing done.
    const step = await browser.post(`/n/${token}/acknowledge`, { noticeId });
    expect(step.status).toBe(303);
    expect(step.headers.get('location')).toBe(`/n/${token}`);
    const acknowledged = await world.ctx.pool.query('select acknowledged_at from notices where id = $1', [
      noticeId,
    ]);
    expect(acknowledged.rows[0].acknowledged_at).toBeNull();
    await sleep(PORTAL_SESSION_CACHE_MS + 50);
    expect(await noticePage(browser, token)).toBeNull();
  });

  it('stops serving a revoked link and an expired session within PORTAL_SESSION_CACHE_MS', async () => {
    const revoked = await openedCase();
    const expired = await openedCase();
    expect(await noticePage(revoked.browser, revoked.token)).not.toBeNull();
    expect(await noticePage(expired.browser, expired.token)).not.toBeNull();
    await world.ctx.pool.query('delete from portal_tokens where token_hash = $1', [hashToken(revoked.token)]);
    await world.ctx.pool.query(
      `update portal_sessions set expires_at = now() - interval '1 second' where token_hash = $1`,
      [hashToken(expired.token)],
    );
    await sleep(PORTAL_SESSION_CACHE_MS + 50);
    expect(await noticePage(revoked.browser, revoked.token)).toBeNull();
    expect(await noticePage(expired.browser, expired.token)).toBeNull();
    // Nor do the pages behind the session.
    expect((await expired.browser.get(`/n/${expired.token}/receipt.json`)).status).toBe(303);
  });

  it("shows a step taken outside the portal within PORTAL_CASE_DATA_MS, and the party's own step at once", async () => {
    const { caseId, noticeId, token, browser } = await openedCase();
    expect(await noticePage(browser, token)).not.toContain('data-review="pending"');
    // A statement taken at the window by staff (another service, maybe another process): shown within the bound.
    await insertStatement(world.ctx.pool, caseId, '窗口陈述', []);
    await sleep(PORTAL_CASE_DATA_MS + 50);
    expect(await noticePage(browser, token)).toContain('data-review="pending"');
    // The party's own acknowledgement drops what was kept of the case: the next page shows it.
    expect(await noticePage(browser, token)).not.toContain('data-acknowledged="true"');
    expect((await browser.post(`/n/${token}/acknowledge`, { noticeId })).status).toBe(303);
    const after = await noticePage(browser, token);
    expect(after).toContain('data-acknowledged="true"');
    expect(after).toContain('data-state="statement_window"');
  });
});
