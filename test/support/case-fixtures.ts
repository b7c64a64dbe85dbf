import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { caseFilingHook } from '../../src/cases/case-filing.service.js';
import { CaseService } from '../../src/cases/case.service.js';
import { signedHeaders, verifyPayload } from '../../src/notices/hmac-signature.js';
import { ReviewService } from '../../src/review/review.service.js';
import { seedCamera, seedViolationForReview } from './seed-violations.js';
import { seedStaff, type TestContext } from './test-app.js';

/** Shared set-up for the case, notice and portal tests: a district, a camera, a party and filed cases. */

export const GATEWAY_SECRET = 'sms gateway secret for tests';

export async function seedPudong(ctx: TestContext): Promise<{ cameraId: string; legal: StaffPrincipal }> {
  await ctx.pool.query(
    `insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD') on conflict do nothing`,
  );
  const cameraId = await seedCamera(ctx.pool, 'pudong');
  await ctx.pool.query(`update cameras set address = '浦东新区世纪大道与东方路交叉口东北角' where id = $1`, [
    cameraId,
  ]);
  const { id } = await seedStaff(
    ctx.pool,
    `legal-${Math.random().toString(36).slice(2, 8)}`,
    'legal_reviewer',
    'pudong',
  );
  return {
    cameraId,
    legal: {
      id,
      username: 'legal',
      displayName: 'Legal reviewer',
      role: 'legal_reviewer',
      districtId: 'pudong',
    },
  };
}

export interface PartyOptions {
  kind?: 'person' | 'unit';
  phone?: string | null;
  email?: string | null;
  consent?: boolean;
  idNumber?: string;
}

export async function seedCaseParty(
  ctx: TestContext,
  options: PartyOptions = {},
): Promise<{ id: string; idNumber: string }> {
  const idNumber =
    options.idNumber ??
    `3101151990${Math.floor(Math.random() * 1e8)
      .toString()
      .padStart(8, '0')}`;
  const consent = options.consent ?? true;
  const { rows } = await ctx.pool.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, email, address, online_delivery_consent, consent_recorded_at, consent_channel)
     values ('pudong', $1, $2, $3, $4, $5, '上海市浦东新区某某路1号', $6, case when $6 then now() end, case when $6 then 'signed form' end) returning id`,
    [
      options.kind ?? 'person',
      options.kind === 'unit' ? '张记水果店' : '张某某',
      idNumber,
      options.phone === undefined ? '13800138000' : options.phone,
      options.email ?? null,
      consent,
    ],
  );
  return { id: rows[0]!.id, idNumber };
}

/** Files a case the way production does: a legal reviewer approves a seeded violation. */
export async function fileCase(
  ctx: TestContext,
  seed: { cameraId: string; legal: StaffPrincipal },
  partyId: string,
  type = 'street_stall',
): Promise<string> {
  const review = new ReviewService(ctx.pool, ctx.blobs, caseFilingHook());
  const { violationId, taskId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
    districtId: 'pudong',
    cameraId: seed.cameraId,
    partyId,
    stage: 'legal',
    type,
  });
  await ctx.pool.query(
    `update review_tasks set status = 'claimed', claimed_by = $2, lease_expires_at = now() + interval '10 minutes' where id = $1`,
    [taskId, seed.legal.id],
  );
  await review.decide(seed.legal, taskId, { decision: 'approve', partyId });
  const { rows } = await ctx.pool.query<{ id: string }>('select id from cases where violation_id = $1', [
    violationId,
  ]);
  return rows[0]!.id;
}

/** The opinion of an approving legal review (法制审核) in tests. */
export const LEGAL_OPINION = '事实清楚，证据确凿，适用依据正确，程序合法，同意处罚';

/** Takes a filed case through notice, waiver, legal review, decision and delivery in person on `on`: the fine is then due. */
export async function bringToPaymentDue(ctx: TestContext, caseId: string, on: string): Promise<void> {
  const cases = new CaseService(ctx.pool);
  const system = { kind: 'system' as const, id: 'test' };
  for (const event of [
    { type: 'send_advance_notice', on },
    { type: 'advance_notice_received', on },
    { type: 'rights_waived', on, waiverReference: '放弃陈述申辩声明书 测试-001' },
    { type: 'legal_review', on, conclusion: 'approved', opinion: LEGAL_OPINION, reviewerId: 'test-legal' },
    { type: 'decide', on, deciderId: 'test-head' },
    { type: 'deliver_decision', on, channel: 'in_person' },
    { type: 'decision_received', on },
  ] as const) {
    await cases.apply(caseId, event, system);
  }
}

export interface GatewayMessage {
  to: string;
  text: string;
  clientRef: string;
  callbackUrl: string;
  messageId: string;
  signatureOk: boolean;
}

/** A real HTTP SMS gateway on 127.0.0.1: checks the request signature, fails the first `failures` sends. */
export class FakeSmsGateway {
  readonly messages: GatewayMessage[] = [];
  failures = 0;
  status = 503;
  private server = http.createServer((req, res) => this.handle(req, res));
  url = '';

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  /** The link the last message to `to` carried. */
  lastLink(): string {
    const text = this.messages.at(-1)?.text ?? '';
    const match = /(https?:\/\/\S+\/n\/[A-Za-z0-9_-]{43})/.exec(text);
    if (!match) throw new Error(`no portal link in the last message: ${text}`);
    return match[1]!;
  }

  /** Sends the provider's signed delivery receipt for a message to our callback URL. */
  async sendReceipt(
    message: GatewayMessage,
    status: 'delivered' | 'failed',
    secret = GATEWAY_SECRET,
  ): Promise<Response> {
    const body = JSON.stringify({
      messageId: message.messageId,
      clientRef: message.clientRef,
      status,
      at: new Date().toISOString(),
    });
    return fetch(message.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signedHeaders(secret, body) },
      body,
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureOk = verifyPayload(
        GATEWAY_SECRET,
        { timestamp: req.headers['x-timestamp'], signature: req.headers['x-signature'] },
        body,
      ).ok;
      if (!signatureOk) {
        res.writeHead(401).end('{"error":"bad signature"}');
        return;
      }
      if (this.failures > 0) {
        this.failures--;
        res.writeHead(this.status, { 'content-type': 'application/json' }).end('{"error":"try later"}');
        return;
      }
      const parsed = JSON.parse(body) as Omit<GatewayMessage, 'messageId' | 'signatureOk'>;
      const messageId = `sms-${this.messages.length + 1}-${Date.now()}`;
      this.messages.push({ ...parsed, messageId, signatureOk });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId }));
    });
  }
}
