import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { AnnouncementService } from '../../src/notices/announcement.service.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * Service by public announcement (公告送达, Shanghai urban-management enforcement regulation art. 25) on the real
 * database: refused (409, nothing stored) before the other means were tried; published on the public page with
 * the party's name masked; sixty days later the sweep's step records the service and the statement period runs
 * from that day.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let staff: TestClient;
let other: TestClient;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedDistrict(ctx.pool, 'huangpu');
  await seedStaff(ctx.pool, 'ann-staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'ann-other', 'district_staff', 'huangpu');
  staff = await new TestClient(ctx.app).login('ann-staff', 'a long test password');
  other = await new TestClient(ctx.app).login('ann-other', 'a long test password');
});
afterAll(() => ctx?.close());

/** A case whose advance notice went out by SMS (still under way) and waits for post. */
async function noticeSent(): Promise<{ caseId: string; noticeId: string; caseNumber: string }> {
  const party = await seedCaseParty(ctx);
  const caseId = await fileCase(ctx, seed, party.id);
  await new CaseService(ctx.pool).apply(caseId, { type: 'send_advance_notice', on: today }, system);
  const { rows } = await ctx.pool.query<{ id: string; case_number: string }>(
    `insert into notices (case_id, violation_id, party_id, kind, document_key, issued_on)
     select id, violation_id, party_id, 'advance_notice', 'documents/test.pdf', $2 from cases where id = $1
     returning id, (select case_number from cases where id = $1)`,
    [caseId, today],
  );
  const noticeId = rows[0]!.id;
  await ctx.pool.query(
    `insert into deliveries (notice_id, channel, address, status) values ($1, 'sms', '13800138000', 'sent')`,
    [noticeId],
  );
  return { caseId, noticeId, caseNumber: rows[0]!.case_number };
}

const counts = async (caseId: string) =>
  (
    await ctx.pool.query(
      `select (select count(*)::int from announcements where case_id = $1) as announcements,
              (select count(*)::int from case_events where case_id = $1) as events,
              (select status from cases where id = $1) as status`,
      [caseId],
    )
  ).rows[0];

describe('service by announcement', () => {
  it('is refused before the other means were tried, then published, listed publicly and served after sixty days', async () => {
    const { caseId, noticeId, caseNumber } = await noticeSent();
    const before = await counts(caseId);
    const publish = () => staff.request('POST', `/api/cases/${caseId}/announcement`, { noticeId });

    const underWay = await publish();
    expect(underWay.statusCode).toBe(409);
    expect(underWay.json().message).toContain('an announcement before the other means were tried');
    await ctx.pool.query(`update deliveries set status = 'failed' where notice_id = $1`, [noticeId]);
    await ctx.pool.query(
      `insert into deliveries (notice_id, channel, status, last_error) values ($1, 'postal', 'fallback', 'postal delivery needed')`,
      [noticeId],
    );
    const postNotTried = await publish();
    expect(postNotTried.statusCode).toBe(409);
    expect(postNotTried.json().message).toContain('the post to the party has not come back');
    expect(await counts(caseId)).toEqual(before);

    // Another district's staff can do neither.
    expect(
      (await other.request('POST', `/api/cases/${caseId}/postal-returned`, { noticeId, reason: '查无此人' }))
        .statusCode,
    ).toBe(403);
    expect((await other.request('POST', `/api/cases/${caseId}/announcement`, { noticeId })).statusCode).toBe(
      403,
    );
    expect(
      (await staff.request('POST', `/api/cases/${caseId}/postal-returned`, { noticeId, reason: '   ' }))
        .statusCode,
    ).toBe(400);

    const returned = await staff.request('POST', `/api/cases/${caseId}/postal-returned`, {
      noticeId,
      reason: '查无此人',
    });
    expect(returned.statusCode, returned.body).toBe(200);
    const page = await staff.request('GET', `/staff/cases/${caseId}/delivery`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-channel="postal" data-status="failed"');

    const published = await publish();
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ publishedOn: today, effectiveOn: addDays(today, 60) });
    expect((await publish()).statusCode).toBe(409);

    // The public page and its JSON: the case number, the masked name, never the name itself.
    const anonymous = new TestClient(ctx.app);
    const board = await anonymous.request('GET', '/public/announcements');
    expect(board.statusCode).toBe(200);
    expect(board.body).toContain(caseNumber);
    expect(board.body).toContain('张某某');
    expect(board.body).not.toContain('张某某（');
    expect(board.body).toContain('经过六十日，即视为送达');
    const json = (await anonymous.request('GET', '/api/public/announcements')).json();
    expect(json.announcements[0]).toMatchObject({
      caseNumber,
      party: '张某某',
      documentKind: 'advance_notice',
    });

    // The sweep's step: nothing before the sixty days have run; on the sixtieth day, the notice is served.
    const now = new AnnouncementService(ctx.pool, new CaseService(ctx.pool));
    expect(await now.takeEffect(today)).toBe(0);
    const later = addDays(today, 60);
    const sixtyDaysOn = new Date(`${later}T10:00:00+08:00`);
    const then = new AnnouncementService(ctx.pool, new CaseService(ctx.pool, () => sixtyDaysOn));
    expect(await then.takeEffect(later)).toBe(1);
    expect(await then.takeEffect(later)).toBe(0);
    const row = (await ctx.pool.query('select status, snapshot from cases where id = $1', [caseId])).rows[0];
    expect(row.status).toBe('statement_window');
    expect(row.snapshot.steps.advance_notice_received).toBe(later);
    const delivery = (
      await ctx.pool.query(
        `select status from deliveries where notice_id = $1 and channel = 'announcement'`,
        [noticeId],
      )
    ).rows;
    expect(delivery).toEqual([{ status: 'delivered' }]);
    const served = await staff.request('GET', `/staff/cases/${caseId}/delivery`);
    expect(served.body).toContain('data-served="yes"');
  });

  it('is refused once the document reached the party', async () => {
    const { caseId, noticeId } = await noticeSent();
    await ctx.pool.query(
      `update deliveries set status = 'delivered', delivered_at = now() where notice_id = $1`,
      [noticeId],
    );
    const res = await staff.request('POST', `/api/cases/${caseId}/announcement`, { noticeId });
    expect(res.statusCode).toBe(409);
    expect((await counts(caseId)).announcements).toBe(0);
  });
});
