import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import type { AlertEvaluationService } from '../../src/alerts/alert-evaluation.service.js';
import { recordCameraError, recordFrameTaken } from '../../src/cameras/camera-health.repo.js';
import type { Pool } from '../../src/db/pool.js';
import type { DeliveryChannel, DeliveryMessage } from '../../src/notices/delivery-channel.js';
import { verifyPayload } from '../../src/notices/hmac-signature.js';
import { createLogger } from '../../src/shared/logger.js';
import type { TestContext } from '../support/test-app.js';

/** Helpers of the alert tests: channels that record what they send, a webhook peer, cameras up and down. */

export const WEBHOOK_SECRET = 'alert webhook test secret';

export class RecordingChannel implements DeliveryChannel {
  readonly sent: DeliveryMessage[] = [];
  constructor(readonly kind: 'sms' | 'email') {}
  async send(message: DeliveryMessage) {
    this.sent.push(message);
    return { providerMessageId: `${this.kind}-${this.sent.length}`, delivered: true };
  }
}

export interface WebhookPeer {
  url: string;
  /** every request received, with whether its signature was good */
  received: { body: Record<string, unknown>; signed: boolean; key: string | undefined }[];
  close(): Promise<void>;
}

/** A webhook receiver on 127.0.0.1 that checks the signature of each request. */
export async function startWebhookPeer(): Promise<WebhookPeer> {
  const received: WebhookPeer['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyPayload(
        WEBHOOK_SECRET,
        { timestamp: req.headers['x-timestamp'], signature: req.headers['x-signature'] },
        body,
      );
      received.push({
        body: JSON.parse(body) as Record<string, unknown>,
        signed: check.ok,
        key: req.headers['idempotency-key'] as string | undefined,
      });
      res.writeHead(check.ok ? 204 : 401).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks/alerts`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The environment of a test app whose alerts go to `webhookUrl` (loopback allowed for the test peer). */
export function alertEnv(webhookUrl: string): Record<string, string> {
  return {
    ALERT_CAMERA_OFFLINE_S: '60',
    ALERT_WEBHOOK_URL: webhookUrl,
    ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ALERT_WEBHOOK_ALLOW_LOOPBACK: 'true',
    ALERT_CHANNELS: 'sms,email,webhook',
  };
}

export interface AlertHarness {
  sms: RecordingChannel;
  email: RecordingChannel;
  /** the evaluation as it runs at `at` (now by default) */
  evaluation(at?: Date): AlertEvaluationService;
}

export function alertHarness(ctx: TestContext): AlertHarness {
  const sms = new RecordingChannel('sms');
  const email = new RecordingChannel('email');
  const logger = createLogger('silent', 'test');
  return {
    sms,
    email,
    evaluation: (at) =>
      createNotifyServices({
        config: ctx.config,
        pool: ctx.pool,
        blobs: ctx.blobs,
        queues: ctx.queues,
        logger,
        channels: { sms, email },
        now: at ? () => at : undefined,
      }).alerts,
  };
}

/** A camera whose last frame is `minutesAgo` old and whose source failed since, as ingest records it. */
export async function takeCameraDown(pool: Pool, cameraId: string, minutesAgo: number): Promise<void> {
  await recordFrameTaken(pool, cameraId, {
    seq: 1,
    capturedAt: new Date(),
    sha256: 'a'.repeat(64),
    width: 640,
    height: 360,
  });
  await pool.query(
    `update camera_health set last_frame_at = now() - make_interval(mins => $2) where camera_id = $1`,
    [cameraId, minutesAgo],
  );
  await pool.query(`update cameras set created_at = now() - interval '1 day' where id = $1`, [cameraId]);
  await recordCameraError(pool, cameraId, 'snapshot source unreachable: connect ECONNREFUSED');
}

/** The camera delivers a frame again. */
export async function bringCameraBack(pool: Pool, cameraId: string): Promise<void> {
  await recordFrameTaken(pool, cameraId, {
    seq: 2,
    capturedAt: new Date(),
    sha256: 'b'.repeat(64),
    width: 640,
    height: 360,
  });
}

/** Staff contact details for the notices. */
export async function setContact(pool: Pool, userId: string, phone: string | null, email: string | null) {
  await pool.query('update staff_users set phone = $2, email = $3 where id = $1', [userId, phone, email]);
}
