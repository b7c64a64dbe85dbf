import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService, machineContextFor } from '../../src/cases/case.service.js';
import { loadOrCreateSealKey } from '../../src/cases/seal-key.adapter.js';
import { planDeadlines } from '../../src/law/deadlines.js';
import { computeLateFee } from '../../src/law/late-fee.js';
import { addDays, shanghaiDateOf } from '../../src/law/local-date.js';
import { PaymentService } from '../../src/payments/payment.service.js';
import { bringToPaymentDue, fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * The designated window (Pudong art. 12) and payment at the bank (APL art. 67, 72), through the staff API on
 * the real database: a statement taken at the window moves the case as one made online; a fine paid at the bank
 * closes the case when the amount is the fine plus the late fee on the day paid; a postal receipt's date starts
 * the party's periods. What is refused changes nothing.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let staff: TestClient;
let other: TestClient;
let staffId: string;
const today = shanghaiDateOf(new Date());
const system = { kind: 'system' as const, id: 'test' };
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await seedDistrict(ctx.pool, 'huangpu');
  ({ id: staffId } = await seedStaff(ctx.pool, 'win-staff', 'district_staff', 'pudong'));
  await seedStaff(ctx.pool, 'win-other', 'district_staff', 'huangpu');
  staff = await new TestClient(ctx.app).login('win-staff', 'a long test password');
  other = await new TestClient(ctx.app).login('win-other', 'a long test password');
});
afterAll(() => ctx?.close());

const caseRow = async (id: string) =>
  (await ctx.pool.query('select status, snapshot from cases where id = $1', [id])).rows[0];
const counts = async (id: string) =>
  (
    await ctx.pool.query(
      `select (select count(*)::int from case_events where case_id = $1) as events,
              (select count(*)::int from statements where case_id = $1) as statements,
              (select count(*)::int from payments where case_id = $1) as payments,
              (select count(*)::int from audit_log where subject_id = $1::text) as audit`,
      [id],
    )
  ).rows[0];

async function newCase(): Promise<string> {
  const { id } = await seedCaseParty(ctx);
  return fileCase(ctx, seed, id);
}

/** A case whose advance notice reached the party today: the statement period is open. */
async function inStatementWindow(): Promise<string> {
  const caseId = await newCase();
  const cases = new CaseService(ctx.pool);
  await cases.apply(caseId, { type: 'send_advance_notice', on: today }, system);
  await cases.apply(caseId, { type: 'advance_notice_received', on: today }, system);
  return caseId;
}

async function awaitingPayment(): Promise<string> {
  const caseId = await newCase();
  await bringToPaymentDue(ctx, caseId, today);
  return caseId;
}

describe('a statement taken at the window', () => {
  it('moves the case as a statement made online, recording who took it and the attachment checked by its bytes', async () => {
    const caseId = await inStatementWindow();
    const before = await caseRow(caseId);
    const res = await staff.request('POST', `/api/cases/${caseId}/window-statement`, {
      body: '当事人称当日系临时停靠卸货，已即时驶离。',
      attachments: [{ name: '送货单.jpg', contentBase64: JPEG.toString('base64') }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'statement_review' });
    const after = await caseRow(caseId);
    expect(after.status).toBe('statement_review');
    expect(after.snapshot.steps.statement_submitted).toBe(today);
    expect(after.snapshot.deadlines).toEqual(before.snapshot.deadlines);
    const statement = (
      await ctx.pool.query('select channel, taken_by, body, attachments from statements where case_id = $1', [
        caseId,
      ])
    ).rows[0];
    expect(statement).toMatchObject({ channel: 'window', taken_by: staffId });
    expect(statement.attachments[0]).toMatchObject({
      name: '送货单.jpg',
      contentType: 'image/jpeg',
      size: JPEG.length,
    });
    const event = (
      await ctx.pool.query(
        `select actor, data from case_events where case_id = $1 and kind = 'statement_submitted'`,
        [caseId],
      )
    ).rows[0];
    expect(event.actor).toBe(`staff:${staffId}`);
    expect(event.data).toMatchObject({ channel: 'window', takenBy: staffId });
    // The legal reviewers see it waiting, as one made online.
    const page = await staff.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('data-channel="window"');
  });

  it('refuses a file that is not a JPEG, PNG or PDF by its bytes, and changes nothing', async () => {
    const caseId = await inStatementWindow();
    const before = await counts(caseId);
    const res = await staff.request('POST', `/api/cases/${caseId}/window-statement`, {
      body: '陈述',
      attachments: [
        { name: 'photo.jpg', contentBase64: Buffer.from('MZ\x90\x00 not an image').toString('base64') },
      ],
    });
    expect(res.statusCode).toBe(400);
    expect(await counts(caseId)).toEqual(before);
    expect((await caseRow(caseId)).status).toBe('statement_window');
  });

  it('is refused for a closed case with a 409, and for another district with a 403; nothing changes', async () => {
    const caseId = await inStatementWindow();
    await new CaseService(ctx.pool).apply(
      caseId,
      { type: 'withdraw', on: today, reason: '事实不成立' },
      system,
    );
    const before = await counts(caseId);
    const closed = await staff.request('POST', `/api/cases/${caseId}/window-statement`, { body: '陈述' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().message).toMatch(/closed/);
    const open = await inStatementWindow();
    const beforeOpen = await counts(open);
    const foreign = await other.request('POST', `/api/cases/${open}/window-statement`, { body: '陈述' });
    expect(foreign.statusCode).toBe(403);
    expect(await counts(caseId)).toEqual(before);
    expect(await counts(open)).toEqual(beforeOpen);
  });
});

describe('a fine paid at the bank', () => {
  it('closes the case as paid with a sealed receipt, recorded by the member of staff', async () => {
    const caseId = await awaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const res = await staff.request('POST', `/api/cases/${caseId}/bank-payment`, {
      channel: 'bank',
      receiptNumber: `B${caseId.slice(0, 8)}`,
      paidOn: today,
      amountYuan: String(fine / 100),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'closed', amountFen: fine, lateFeeFen: 0 });
    const row = await caseRow(caseId);
    expect(row.snapshot).toMatchObject({ state: 'closed', outcome: 'paid', paidFen: fine });
    const payment = (await ctx.pool.query('select * from payments where case_id = $1', [caseId])).rows[0];
    expect(payment).toMatchObject({
      status: 'paid',
      channel: 'bank',
      receipt_number: `B${caseId.slice(0, 8)}`,
      recorded_by: staffId,
    });
    expect(JSON.parse(payment.receipt.text)).toMatchObject({
      amountFen: fine,
      gatewayTxnId: `B${caseId.slice(0, 8)}`,
    });
    expect(payment.receipt.seal).toBeTruthy();
    const audit = await ctx.pool.query(
      `select actor_id from audit_log where action = 'payment.recorded' and subject_id = $1`,
      [caseId],
    );
    expect(audit.rows).toEqual([{ actor_id: staffId }]);
  });

  it('refuses another amount (400), a paid case (409) and a receipt number already recorded (409); nothing changes', async () => {
    const caseId = await awaitingPayment();
    const fine = (await caseRow(caseId)).snapshot.fineFen as number;
    const before = await counts(caseId);
    const wrong = await staff.request('POST', `/api/cases/${caseId}/bank-payment`, {
      channel: 'counter',
      receiptNumber: `W${caseId.slice(0, 8)}`,
      paidOn: today,
      amountFen: fine - 100,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toContain(`${fine} fen due on ${today}`);
    expect(await counts(caseId)).toEqual(before);

    const paid = await staff.request('POST', `/api/cases/${caseId}/bank-payment`, {
      channel: 'counter',
      receiptNumber: `P${caseId.slice(0, 8)}`,
      paidOn: today,
      amountFen: fine,
    });
    expect(paid.statusCode).toBe(200);
    const paidCounts = await counts(caseId);
    const again = await staff.request('POST', `/api/cases/${caseId}/bank-payment`, {
      channel: 'counter',
      receiptNumber: `Q${caseId.slice(0, 8)}`,
      paidOn: today,
      amountFen: fine,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/not awaiting payment/);
    expect(await counts(caseId)).toEqual(paidCounts);

    const second = await awaitingPayment();
    const secondBefore = await counts(second);
    const duplicate = await staff.request('POST', `/api/cases/${second}/bank-payment`, {
      channel: 'bank',
      receiptNumber: `P${caseId.slice(0, 8)}`,
      paidOn: today,
      amountFen: fine,
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().message).toMatch(/already recorded/);
    expect(await counts(second)).toEqual(secondBefore);
    expect((await caseRow(second)).status).toBe('payment_due');

    const future = await staff.request('POST', `/api/cases/${second}/bank-payment`, {
      channel: 'bank',
      receiptNumber: `F${second.slice(0, 8)}`,
      paidOn: addDays(today, 1),
      amountFen: fine,
    });
    expect(future.statusCode).toBe(400);
    const foreign = await other.request('POST', `/api/cases/${second}/bank-payment`, {
      channel: 'bank',
      receiptNumber: `G${second.slice(0, 8)}`,
      paidOn: today,
      amountFen: fine,
    });
    expect(foreign.statusCode).toBe(403);
    expect(await counts(second)).toEqual(secondBefore);
  });

  it('checks the late fee up to the day paid: paid late it is due, paid in time and recorded late it is not (APL art. 72)', async () => {
    const caseId = await awaitingPayment();
    const { snapshot } = await caseRow(caseId);
    const dueOn = snapshot.deadlines.payment as string;
    const principal = {
      id: staffId,
      username: 'win-staff',
      displayName: 'staff',
      role: 'district_staff' as const,
      districtId: 'pudong',
    };
    const later = new Date(Date.parse(`${addDays(dueOn, 3)}T12:00:00+08:00`));
    const cases = new CaseService(ctx.pool, () => later);
    const payments = new PaymentService({
      pool: ctx.pool,
      gateway: null,
      cases,
      publicBaseUrl: 'http://localhost',
      sealKey: () => loadOrCreateSealKey(ctx.config),
    });
    await cases.apply(caseId, { type: 'payment_deadline_passed', on: addDays(dueOn, 3) }, system);
    const paidLate = addDays(dueOn, 2);
    const fee = computeLateFee({ fineFen: snapshot.fineFen, paymentDueOn: dueOn, asOf: paidLate });
    expect(fee.lateFeeFen).toBeGreaterThan(0);
    await expect(
      payments.recordPayment(principal, caseId, {
        channel: 'bank',
        receiptNumber: `L${caseId.slice(0, 8)}`,
        paidOn: paidLate,
        amountFen: snapshot.fineFen,
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    // Paid on the last day, the receipt brought in three days later: the fine alone, though the case is overdue.
    const inTime = await payments.recordPayment(principal, caseId, {
      channel: 'bank',
      receiptNumber: `T${caseId.slice(0, 8)}`,
      paidOn: dueOn,
      amountFen: snapshot.fineFen,
    });
    expect(inTime).toMatchObject({ state: 'closed', lateFeeFen: 0 });

    const late = await awaitingPayment();
    await cases.apply(late, { type: 'payment_deadline_passed', on: addDays(dueOn, 3) }, system);
    const paid = await payments.recordPayment(principal, late, {
      channel: 'counter',
      receiptNumber: `U${late.slice(0, 8)}`,
      paidOn: paidLate,
      amountFen: fee.totalDueFen,
    });
    expect(paid).toMatchObject({ state: 'closed', lateFeeFen: fee.lateFeeFen, amountFen: fee.totalDueFen });
    expect((await caseRow(late)).snapshot.lateFeePaidFen).toBe(fee.lateFeeFen);
  });
});

describe('the day a postal delivery was signed for', () => {
  it('starts the statement and hearing periods from that day, recorded from the case page', async () => {
    const caseId = await newCase();
    await new CaseService(ctx.pool).apply(caseId, { type: 'send_advance_notice', on: today }, system);
    const { rows } = await ctx.pool.query<{ id: string }>(
      `insert into notices (case_id, party_id, kind, document_key, issued_on)
       select id, party_id, 'advance_notice', 'documents/test.pdf', $2 from cases where id = $1 returning id`,
      [caseId, today],
    );
    const noticeId = rows[0]!.id;
    const page = await staff.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('id="postal-receipt-form"');
    const future = await staff.request('POST', `/staff/cases/${caseId}/postal-receipt`, {
      noticeId,
      receivedOn: addDays(today, 1),
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('id="postal-receipt-error"');
    expect((await caseRow(caseId)).status).toBe('advance_notice_sent');

    const res = await staff.request('POST', `/staff/cases/${caseId}/postal-receipt`, {
      noticeId,
      receivedOn: today,
    });
    expect(res.statusCode, res.body).toBe(303);
    const { status, snapshot } = await caseRow(caseId);
    expect(status).toBe('statement_window');
    const context = await machineContextFor(snapshot);
    const plan = planDeadlines(
      { filedOn: snapshot.filedOn, advanceNoticeReceivedOn: today, hearingRight: snapshot.hearingRight },
      context.calendar,
      context.procedure,
    );
    expect(snapshot.steps.advance_notice_received).toBe(today);
    expect(snapshot.deadlines.statement).toBe(plan.statement!.dueOn);
    const delivery = await ctx.pool.query(`select channel, status from deliveries where notice_id = $1`, [
      noticeId,
    ]);
    expect(delivery.rows).toEqual([{ channel: 'postal', status: 'delivered' }]);
  });
});
