import { createServer } from 'node:net';
import type { DestinationStream } from 'pino';
import { createNotifyServices, type NotifyServices } from '../../src/app/notify-worker.js';
import { HttpGatewayChannel } from '../../src/notices/http-gateway.adapter.js';
import { createLogger } from '../../src/shared/logger.js';
import { createTestContext, type TestContext } from './test-app.js';
import {
  FakeSmsGateway,
  GATEWAY_SECRET,
  fileCase,
  seedCaseParty,
  seedPudong,
  type PartyOptions,
} from './case-fixtures.js';

/**
 * A listening app (the sandbox payment provider calls it back over HTTP) with the notify services and a fake
 * SMS gateway, and a small cookie-keeping HTTP client playing the party's browser.
 */

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface PortalWorld {
  ctx: TestContext;
  baseUrl: string;
  seed: Awaited<ReturnType<typeof seedPudong>>;
  services: NotifyServices;
  gateway: FakeSmsGateway;
  close(): Promise<void>;
}

export async function startPortalWorld(
  env: Record<string, string> = {},
  options: { logStream?: DestinationStream } = {},
): Promise<PortalWorld> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext(
    {
      PUBLIC_BASE_URL: baseUrl,
      SMS_GATEWAY_SECRET: GATEWAY_SECRET,
      PORTAL_VERIFY_FLOOR_MS: '60',
      ...env,
    },
    options,
  );
  await ctx.app.listen({ host: '127.0.0.1', port });
  const seed = await seedPudong(ctx);
  const gateway = await new FakeSmsGateway().start();
  const sms = new HttpGatewayChannel({
    kind: 'sms',
    baseUrl: gateway.url,
    account: 'test',
    secret: GATEWAY_SECRET,
    callbackUrl: `${baseUrl}/api/deliveries/receipts/sms`,
  });
  const services = createNotifyServices({
    config: ctx.config,
    pool: ctx.pool,
    blobs: ctx.blobs,
    queues: ctx.queues,
    logger: createLogger('silent', 'test'),
    channels: { sms },
  });
  return {
    ctx,
    baseUrl,
    seed,
    services,
    gateway,
    async close() {
      await gateway.stop();
      await ctx.close();
    },
  };
}

/** Files a case, issues its advance notice and sends the SMS; returns the link the party received. */
export async function caseWithLink(
  world: PortalWorld,
  party: PartyOptions = {},
  type = 'street_stall',
): Promise<{ caseId: string; link: string; token: string; idNumber: string }> {
  const { id, idNumber } = await seedCaseParty(world.ctx, party);
  const caseId = await fileCase(world.ctx, world.seed, id, type);
  const issued = await world.services.notices.issue(caseId, 'advance_notice');
  for (const deliveryId of issued!.deliveryIds)
    await world.services.delivery.deliver(deliveryId, { number: 1, max: 1 });
  const link = world.gateway.lastLink();
  return { caseId, link, token: link.split('/n/')[1]!, idNumber };
}

/** Sends the next pending delivery of a notice kind of the case (as the deliver job would) and returns the link. */
export async function deliverLatest(world: PortalWorld, caseId: string, kind: string): Promise<string> {
  const { rows } = await world.ctx.pool.query<{ id: string }>(
    `select d.id from deliveries d join notices n on n.id = d.notice_id where n.case_id = $1 and n.kind = $2 and d.status = 'pending'`,
    [caseId, kind],
  );
  for (const row of rows) await world.services.delivery.deliver(row.id, { number: 1, max: 1 });
  return world.gateway.lastLink();
}

export class PartyBrowser {
  private cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  async request(
    method: 'GET' | 'POST',
    path: string,
    body?: URLSearchParams | FormData | string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const response = await fetch(url, {
      method,
      body,
      redirect: 'manual',
      headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '), ...headers },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, fields: Record<string, string> | FormData) {
    return this.request('POST', path, fields instanceof FormData ? fields : new URLSearchParams(fields));
  }

  async verify(token: string, factor: string): Promise<Response> {
    return this.post(`/n/${token}/verify`, { factor });
  }

  hasSession(): boolean {
    return this.cookies.has('psid');
  }
}
