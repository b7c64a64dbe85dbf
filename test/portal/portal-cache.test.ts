import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCase, listCaseEvents } from '../../src/cases/case.repo.js';
import { insertHearingRequest } from '../../src/cases/hearing.repo.js';
import { findNoticeByTokenHash, listCaseNotices } from '../../src/notices/notice.repo.js';
import { hashToken } from '../../src/notices/portal-token.js';
import { insertPayment, paymentsOfCase } from '../../src/payments/payment.repo.js';
import { PORTAL_SESSION_CACHE_MS } from '../../src/portal/portal-session.service.js';
import { PORTAL_CASE_DATA_MS } from '../../src/portal/portal.service.js';
import {
  evidenceOfNotice,
  findHearing,
  insertStatement,
  listStatements,
  portalCaseData,
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
});

describe('what the API keeps for a moment', () => {
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
