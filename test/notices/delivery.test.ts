import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import { SmtpEmailChannel } from '../../src/notices/email-smtp.adapter.js';
import { HttpGatewayChannel } from '../../src/notices/http-gateway.adapter.js';
import { hashToken } from '../../src/notices/portal-token.js';
import { createNotifyServices, type NotifyServices } from '../../src/app/notify-worker.js';
import { ProcessMetrics } from '../../src/metrics/process-metrics.adapter.js';
import { WorkerHost } from '../../src/queue/worker-host.js';
import { createLogger } from '../../src/shared/logger.js';
import { createRedis } from '../../src/shared/redis.js';
import { parseExposition, valueOf } from '../support/prometheus-text.js';
import { createTestContext, type TestContext } from '../support/test-app.js';
import {
  FakeSmsGateway,
  GATEWAY_SECRET,
  fileCase,
  seedCaseParty,
  seedPudong,
} from '../support/case-fixtures.js';

let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let services: NotifyServices;
let gateway: FakeSmsGateway;
let host: WorkerHost;
let smtp: SMTPServer;
let email: SmtpEmailChannel;
const mails: { to: string[]; raw: string }[] = [];
const workerRedis = createRedis('redis://127.0.0.1:6379', 'worker');
const metrics = new ProcessMetrics('notify-worker');

beforeAll(async () => {
  ctx = await createTestContext({
    DELIVERY_ATTEMPTS: '3',
    DELIVERY_BACKOFF_MS: '40',
    SMS_GATEWAY_SECRET: GATEWAY_SECRET,
  });
  seed = await seedPudong(ctx);
  gateway = await new FakeSmsGateway().start();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      // A mailbox that does not exist is refused for good, as real servers do.
      if (address.address.startsWith('nobody@'))
        return callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  email = new SmtpEmailChannel({
    url: `smtp://127.0.0.1:${smtpPort}`,
    from: 'notices@enforcement.test',
    // The server runs in this process, beside PDF rendering that holds the event loop: a short limit would turn
    // a busy moment into a failed attempt.
    timeoutMs: 30_000,
  });
  const sms = new HttpGatewayChannel({
    kind: 'sms',
    baseUrl: gateway.url,
    account: 'test',
    secret: GATEWAY_SECRET,
    callbackUrl: 'http://127.0.0.1/receipts',
  });
  const logger = createLogger('silent', 'test');
  services = createNotifyServices({
    config: ctx.config,
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    logger,
    channels: { sms, email },
    metrics,
  });
  host = new WorkerHost({
    connection: workerRedis,
    prefix: ctx.config.queuePrefix,
    logger,
    handlers: services.handlers,
    serves: ['deliver'],
    metrics,
  });
  host.start();
  await host.waitUntilReady();
});

afterAll(async () => {
  await host.stop();
  workerRedis.disconnect();
  email.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await gateway.stop();
  await ctx.close();
});

async function deliveriesOf(caseId: string) {
  const { rows } = await ctx.pool.query(
    `select d.id, d.channel, d.status, d.attempts, d.last_error, d.provider_message_id from deliveries d join notices n on n.id = d.notice_id
      where n.case_id = $1 order by d.channel`,
    [caseId],
  );
  return rows;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function issueNoticeFor(options: Parameters<typeof seedCaseParty>[1]): Promise<string> {
  const party = await seedCaseParty(ctx, options);
  const caseId = await fileCase(ctx, seed, party.id);
  const issued = await services.notices.issue(caseId, 'advance_notice');
  expect(issued).not.toBeNull();
  return caseId;
}

describe('delivery over a failing channel', { timeout: 60_000 }, () => {
  it('retries with backoff and sends once the gateway recovers', async () => {
    gateway.failures = 2;
    gateway.status = 503;
    const caseId = await issueNoticeFor({});
    const [sent] = await waitFor('the SMS to be sent', async () => {
      const rows = await deliveriesOf(caseId);
      return rows[0]?.status === 'sent' && rows;
    });
    expect(sent).toMatchObject({ channel: 'sms', status: 'sent', attempts: 3, last_error: null });
    const message = gateway.messages.find((m) => m.clientRef === sent.id)!;
    expect(message.to).toBe('13800138000');
    expect(message.text).toMatch(/\/n\/[A-Za-z0-9_-]{43}/);
    expect(sent.provider_message_id).toBe(message.messageId);
    // Only the hash of the link that went out is stored; the failed attempts' links are gone.
    const token = /\/n\/([A-Za-z0-9_-]{43})/.exec(message.text)![1]!;
    const stored = await ctx.pool.query<{ token_hash: Buffer }>(
      'select token_hash from portal_tokens where delivery_id = $1',
      [sent.id],
    );
    expect(stored.rows.map((r) => r.token_hash.toString('hex'))).toEqual([hashToken(token).toString('hex')]);
    // the attempts are counted by channel and outcome, and the failed jobs as failed runs of the queue (the run
    // of the last job is recorded once its handler has returned, a moment after the row says sent)
    const samples = await waitFor('the last job run in the metrics', async () => {
      const found = parseExposition((await metrics.exposition()).body);
      const completed = valueOf(found, 'enforcement_job_run_seconds_count', {
        queue: 'deliver',
        outcome: 'completed',
      });
      return (completed ?? 0) > 0 ? found : null;
    });
    expect(valueOf(samples, 'enforcement_deliveries_total', { channel: 'sms', outcome: 'retry' })).toBe(2);
    expect(valueOf(samples, 'enforcement_deliveries_total', { channel: 'sms', outcome: 'sent' })).toBe(1);
    expect(
      valueOf(samples, 'enforcement_job_run_seconds_count', { queue: 'deliver', outcome: 'failed' }),
    ).toBe(2);
    expect(
      valueOf(samples, 'enforcement_job_run_seconds_count', { queue: 'deliver', outcome: 'completed' }),
    ).toBe(1);
  });

  it('falls back to postal delivery after the last attempt fails', async () => {
    gateway.failures = 100;
    gateway.status = 502;
    const caseId = await issueNoticeFor({});
    const rows = await waitFor('the postal fallback', async () => {
      const found = await deliveriesOf(caseId);
      return found.some((d) => d.channel === 'postal') && found;
    });
    const sms = rows.find((d) => d.channel === 'sms');
    expect(sms).toMatchObject({ status: 'fallback', attempts: 3 });
    expect(sms.last_error).toMatch(/sms failed after 3 attempt/);
    expect(rows.find((d) => d.channel === 'postal')).toMatchObject({ status: 'fallback' });
    const audit = await ctx.pool.query(
      `select count(*)::int as n from audit_log where action = 'delivery.fallback' and data->>'deliveryId' = $1`,
      [sms.id],
    );
    expect(audit.rows[0].n).toBe(1);
    gateway.failures = 0;
  });

  it('a refusal the provider calls permanent is not retried', async () => {
    gateway.failures = 1;
    gateway.status = 400;
    const caseId = await issueNoticeFor({});
    const rows = await waitFor('the fallback', async () => {
      const found = await deliveriesOf(caseId);
      return found.some((d) => d.channel === 'postal') && found;
    });
    expect(rows.find((d) => d.channel === 'sms')).toMatchObject({ status: 'fallback', attempts: 1 });
  });
});

describe('e-mail and receipts', { timeout: 60_000 }, () => {
  it('sends the notice with its sealed PDF over SMTP beside the SMS', async () => {
    gateway.failures = 0;
    const caseId = await issueNoticeFor({ email: 'party@example.test' });
    const rows = await waitFor('both deliveries', async () => {
      const found = await deliveriesOf(caseId);
      return found.length === 2 && found.every((d) => d.status !== 'pending') && found;
    });
    expect(rows.map((d) => [d.channel, d.status])).toEqual([
      ['email', 'delivered'],
      ['sms', 'sent'],
    ]);
    const mail = mails.find((m) => m.raw.includes(rows[0].id))!;
    expect(mail.to).toEqual(['party@example.test']);
    expect(mail.raw).toMatch(/Content-Type: application\/pdf/i);
    expect(mail.raw).toMatch(/filename=.?SH-PD-\d{4}-\d{6}\.pdf/);
  });

  it('a refused mailbox falls back at once', async () => {
    const caseId = await issueNoticeFor({ email: 'nobody@example.test', phone: null });
    const rows = await waitFor('the fallback', async () => {
      const found = await deliveriesOf(caseId);
      return found.some((d) => d.channel === 'postal') && found;
    });
    expect(rows.find((d) => d.channel === 'email')).toMatchObject({ status: 'fallback', attempts: 1 });
  });

  it('a signed receipt marks the SMS delivered; a forged one changes nothing', async () => {
    const caseId = await issueNoticeFor({});
    const [sms] = await waitFor('the SMS', async () => {
      const found = await deliveriesOf(caseId);
      return found[0]?.status === 'sent' && found;
    });
    const body = JSON.stringify({
      messageId: sms.provider_message_id,
      clientRef: sms.id,
      status: 'delivered',
      at: new Date().toISOString(),
    });
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/api/deliveries/receipts/sms',
      headers: { 'content-type': 'application/json', ...signedHeaders('not the secret', body) },
      payload: body,
    });
    expect(forged.statusCode).toBe(401);
    expect((await deliveriesOf(caseId))[0].status).toBe('sent');
    const real = await ctx.app.inject({
      method: 'POST',
      url: '/api/deliveries/receipts/sms',
      headers: { 'content-type': 'application/json', ...signedHeaders(GATEWAY_SECRET, body) },
      payload: body,
    });
    expect(real.statusCode).toBe(200);
    expect(real.json()).toEqual({ applied: true });
    expect((await deliveriesOf(caseId))[0].status).toBe('delivered');
    const again = await ctx.app.inject({
      method: 'POST',
      url: '/api/deliveries/receipts/sms',
      headers: { 'content-type': 'application/json', ...signedHeaders(GATEWAY_SECRET, body) },
      payload: body,
    });
    expect(again.json()).toEqual({ applied: false });
  });
});

describe('consent to electronic service', { timeout: 60_000 }, () => {
  it('sends the advance notice by SMS to a party who never consented (Pudong art. 11)', async () => {
    gateway.failures = 0;
    const caseId = await issueNoticeFor({ consent: false });
    const [sent] = await waitFor('the SMS to be sent', async () => {
      const rows = await deliveriesOf(caseId);
      return rows[0]?.status === 'sent' && rows;
    });
    expect(sent).toMatchObject({ channel: 'sms', status: 'sent', last_error: null });
    expect(gateway.messages.find((m) => m.clientRef === sent.id)!.text).toContain('行政处罚事先告知书');
  });
});
