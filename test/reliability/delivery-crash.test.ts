import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/notices/portal-token.js';
import { fileCase, GATEWAY_SECRET, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { ProjectProcess, waitFor } from '../support/processes.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';

/*
 * A notify worker killed (kill -9) while the SMS gateway holds its request, twice. BullMQ then fails the job as
 * "stalled more than allowable limit" without running the handler. Before: the second attempt texted a second
 * valid link (the first link's token stayed), and the delivery stayed `pending` with no job, no fallback and
 * nothing on the staff page. Now: one link for both attempts, the delivery id as idempotency key, and the sweep
 * sends the delivery to the postal fallback, which the case page shows.
 */

interface Received {
  idempotencyKey: string | undefined;
  clientRef: string;
  link: string;
}

/** An SMS gateway that takes requests and never answers them: the sender is killed while it waits. */
class SlowGateway {
  readonly received: Received[] = [];
  private readonly server = http.createServer((req) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text: string; clientRef: string };
      const link = /https?:\/\/\S+\/n\/([A-Za-z0-9_-]{43})/.exec(body.text)?.[1] ?? '';
      this.received.push({
        idempotencyKey: req.headers['idempotency-key'] as string | undefined,
        clientRef: body.clientRef,
        link,
      });
    });
  });
  url = '';
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }
}

let ctx: TestContext;
let gateway: SlowGateway;
const workers: ProjectProcess[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  gateway = await new SlowGateway().start();
});
afterAll(async () => {
  for (const w of workers) await w.kill9();
  await gateway.stop();
  await ctx.close();
});

function notifyWorker(): ProjectProcess {
  const worker = new ProjectProcess('workers/notify.worker.ts', {
    DATABASE_URL: ctx.db.url,
    REDIS_URL: ctx.config.redisUrl,
    QUEUE_PREFIX: ctx.queues.prefix,
    DATA_DIR: ctx.config.dataDir,
    SMS_GATEWAY_URL: gateway.url,
    SMS_GATEWAY_ACCOUNT: 'test',
    SMS_GATEWAY_SECRET: GATEWAY_SECRET,
    CASE_SWEEP_INTERVAL_S: '1',
    DELIVERY_STALE_S: '1',
    DELIVERY_ATTEMPTS: '3',
    JOB_LOCK_MS: '2000',
  });
  workers.push(worker);
  return worker;
}

const logs = () => workers.map((w) => w.output).join('\n');

describe('a delivery whose worker is killed mid-send, twice', () => {
  it('sends one link, with an idempotency key, and ends in the postal fallback shown to staff', async () => {
    const seed = await seedPudong(ctx);
    const party = await seedCaseParty(ctx, { phone: '13900139000' });
    const caseId = await fileCase(ctx, seed, party.id);

    const first = notifyWorker();
    // The sweep issues the advance notice and its SMS delivery; the gateway receives the message and holds it.
    await waitFor('the first send', () => gateway.received.length >= 1, 90_000, logs);
    await first.kill9();
    const second = notifyWorker();
    await waitFor(
      'the second send, after the job stalled once',
      () => gateway.received.length >= 2,
      90_000,
      logs,
    );
    await second.kill9();
    notifyWorker();

    const { rows: deliveries } = await ctx.pool.query<{ id: string; status: string; last_error: string }>(
      `select d.id, d.status, d.last_error from deliveries d join notices n on n.id = d.notice_id
        where n.case_id = $1 and d.channel = 'sms'`,
      [caseId],
    );
    expect(deliveries).toHaveLength(1);
    const deliveryId = deliveries[0]!.id;

    // One link for both attempts, and the gateway can tell the repeat by its key.
    const [a, b] = gateway.received;
    expect(a!.link).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b!.link).toBe(a!.link);
    expect(a!.idempotencyKey).toBe(deliveryId);
    expect(b!.idempotencyKey).toBe(deliveryId);
    const tokens = await ctx.pool.query<{ token_hash: Buffer }>(
      'select token_hash from portal_tokens where delivery_id = $1',
      [deliveryId],
    );
    expect(tokens.rows.map((r) => r.token_hash.toString('hex'))).toEqual([
      hashToken(a!.link).toString('hex'),
    ]);

    // The job failed by stalling; the sweep finds it and falls back to post instead of leaving it pending.
    await waitFor(
      'the delivery to leave pending',
      async () =>
        (await ctx.pool.query(`select 1 from deliveries where id = $1 and status <> 'pending'`, [deliveryId]))
          .rowCount === 1,
      90_000,
      logs,
    );
    const after = await ctx.pool.query<{ status: string; last_error: string }>(
      'select status, last_error from deliveries where id = $1',
      [deliveryId],
    );
    expect(after.rows[0]!.status).toBe('fallback');
    expect(after.rows[0]!.last_error).toMatch(/stalled/);
    const postal = await ctx.pool.query(
      `select 1 from deliveries d join notices n on n.id = d.notice_id
        where n.case_id = $1 and d.channel = 'postal' and d.status = 'fallback'`,
      [caseId],
    );
    expect(postal.rowCount).toBe(1);
    expect(gateway.received).toHaveLength(2);

    const staff = await seedStaff(ctx.pool, 'pd-legal-crash', 'legal_reviewer', 'pudong');
    const client = await new TestClient(ctx.app).login(staff.username, staff.password);
    const page = await client.request('GET', `/staff/cases/${caseId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="postal-needed"');
    expect(page.body).toContain('data-delivery="sms-fallback"');

    for (const w of workers) expect(w.nonJsonLines()).toEqual([]);
  }, 300_000);
});
