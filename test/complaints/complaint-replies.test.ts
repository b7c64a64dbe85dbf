import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { ComplaintReplySender } from '../../src/complaints/complaint-reply.service.js';
import { ComplaintService } from '../../src/complaints/complaint.service.js';
import { HttpHotlineReplyPush } from '../../src/complaints/hotline-reply.adapter.js';
import { DEV_HOTLINE_SECRET } from '../../src/config/hotline.js';
import { HttpGatewayChannel } from '../../src/notices/http-gateway.adapter.js';
import {
  signedHeaders,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyPayload,
} from '../../src/notices/hmac-signature.js';
import { FakeSmsGateway, GATEWAY_SECRET } from '../support/case-fixtures.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * The sender of complaint replies on the real database: an SMS to the reporter of a staff-taken complaint through
 * the SMS gateway, a signed push to the hotline system, retries with the same idempotency key, sent once, and
 * the reply's state flagged on the complaints page.
 */
let ctx: TestContext;
let gateway: FakeSmsGateway;
let staff: StaffPrincipal;
let staffClient: TestClient;
const complaints = () => new ComplaintService(ctx.pool);

/** A hotline system on 127.0.0.1: checks the signature, answers `fail` times 503 first. */
class FakeHotline {
  readonly received: { key: string | undefined; ok: boolean; body: Record<string, unknown> }[] = [];
  fail = 0;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifyPayload(
        DEV_HOTLINE_SECRET,
        { timestamp: req.headers[TIMESTAMP_HEADER], signature: req.headers[SIGNATURE_HEADER] },
        body,
      ).ok;
      this.received.push({
        key: req.headers['idempotency-key'] as string | undefined,
        ok,
        body: JSON.parse(body) as Record<string, unknown>,
      });
      res.statusCode = this.fail-- > 0 ? 503 : 200;
      res.end('{}');
    });
  });
  url = '';
  async start() {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/replies`;
    return this;
  }
  stop() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  const s = await seedStaff(ctx.pool, 'rp_staff', 'district_staff', 'pudong');
  staff = {
    id: s.id,
    username: s.username,
    displayName: s.username,
    role: 'district_staff',
    districtId: 'pudong',
  };
  staffClient = await new TestClient(ctx.app).login('rp_staff', 'a long test password');
  gateway = await new FakeSmsGateway().start();
});
afterAll(async () => {
  await gateway?.stop();
  await ctx?.close();
});

const sms = () =>
  new HttpGatewayChannel({
    kind: 'sms',
    baseUrl: gateway.url,
    account: 'acct',
    secret: GATEWAY_SECRET,
    callbackUrl: 'http://127.0.0.1:1/api/deliveries/receipts/sms',
  });

const replyRow = async (complaintId: string) =>
  (await ctx.pool.query('select * from complaint_replies where complaint_id = $1', [complaintId])).rows[0];

/**
 * Moves a reply's next try into the past, as time passing would. (A second back: the sender compares with its own
 * clock in whole milliseconds, and Postgres's now() carries microseconds, so "now" itself may still lie ahead.)
 */
const due = (complaintId: string) =>
  ctx.pool.query(
    `update complaint_replies set next_attempt_at = now() - interval '1 second' where complaint_id = $1`,
    [complaintId],
  );

describe('complaint replies', () => {
  it('texts the reporter of a staff-taken complaint once, retrying a failed send with the same key', async () => {
    const id = await complaints().fileByStaff(staff, {
      place: { text: '浦东新区世纪大道100号门前' },
      content: '店家占道经营',
      reporter: { name: '李四', phone: '13912345678' },
    });
    await complaints().decide(staff, id, { outcome: 'substantiated', note: '已责令改正' });
    const sender = new ComplaintReplySender({ pool: ctx.pool, hotline: null, sms: sms() });

    gateway.failures = 1;
    expect(await sender.sendDue()).toEqual({ sent: 0, failed: 1 });
    const failed = await replyRow(id);
    expect(failed).toMatchObject({ sent_at: null, attempts: 1 });
    expect(failed.last_error).toMatch(/503/);
    expect(failed.next_attempt_at.getTime()).toBeGreaterThan(Date.now());
    // not due yet: nothing is tried
    expect(await sender.sendDue()).toEqual({ sent: 0, failed: 0 });

    const page = await staffClient.request('GET', '/staff/complaints');
    expect(page.body).toMatch(/data-reply-error="true"/);

    await due(id);
    expect(await sender.sendDue()).toEqual({ sent: 1, failed: 0 });
    expect(gateway.messages).toHaveLength(1);
    expect(gateway.messages[0]).toMatchObject({ to: '13912345678', clientRef: failed.idempotency_key });
    expect(gateway.messages[0]!.text).toContain('属实');
    expect(gateway.messages[0]!.text).toContain('已责令改正');
    const sent = await replyRow(id);
    expect(sent).toMatchObject({ sent_via: 'sms', attempts: 2, last_error: null });
    expect(sent.sent_at).not.toBeNull();

    // sent once: another run and a due time in the past change nothing
    await due(id);
    expect(await sender.sendDue()).toEqual({ sent: 0, failed: 0 });
    expect(gateway.messages).toHaveLength(1);
    const audit = await ctx.pool.query(
      `select 1 from audit_log where action = 'complaint.reply_sent' and subject_id = $1`,
      [id],
    );
    expect(audit.rowCount).toBe(1);
    const detail = await staffClient.request('GET', `/staff/complaints/${id}`);
    expect(detail.body).toContain('data-reply="sent"');
  });

  it('pushes a hotline outcome signed, with its idempotency key, and leaves it to the fetch when no URL is set', async () => {
    const hotline = await new FakeHotline().start();
    try {
      const body = JSON.stringify({
        complaintNumber: `SH12345-R-${Date.now()}`,
        districtId: 'pudong',
        place: { text: '浦东新区张杨路200号' },
        content: '夜间施工噪声',
      });
      const filed = await ctx.app.inject({
        method: 'POST',
        url: '/api/hotline/complaints',
        headers: { 'content-type': 'application/json', ...signedHeaders(DEV_HOTLINE_SECRET, body) },
        payload: body,
      });
      expect(filed.statusCode).toBe(201);
      const id = (filed.json() as { complaint: { id: string } }).complaint.id;
      await complaints().decide(staff, id, {
        outcome: 'transferred',
        note: '属生态环境部门职责',
        department: '浦东新区生态环境局',
      });

      // without a push URL the hotline fetches its replies itself: the sender leaves them
      const pullOnly = new ComplaintReplySender({ pool: ctx.pool, hotline: null, sms: null });
      expect(await pullOnly.sendDue()).toEqual({ sent: 0, failed: 0 });

      hotline.fail = 1;
      const sender = new ComplaintReplySender({
        pool: ctx.pool,
        hotline: new HttpHotlineReplyPush(hotline.url, DEV_HOTLINE_SECRET),
        sms: null,
      });
      expect(await sender.sendDue()).toEqual({ sent: 0, failed: 1 });
      await due(id);
      expect(await sender.sendDue()).toEqual({ sent: 1, failed: 0 });
      const row = await replyRow(id);
      expect(hotline.received).toHaveLength(2);
      expect(hotline.received.every((r) => r.ok && r.key === row.idempotency_key)).toBe(true);
      expect(hotline.received[1]!.body).toMatchObject({
        outcome: 'transferred',
        department: '浦东新区生态环境局',
        dueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(row.sent_via).toBe('hotline_push');
    } finally {
      hotline.stop();
    }
  });
});
