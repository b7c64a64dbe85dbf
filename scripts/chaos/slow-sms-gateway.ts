import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyPayload } from '../../src/notices/hmac-signature.js';

/**
 * The SMS provider of a chaos run, on 127.0.0.1: checks each request's signature, answers after a random delay
 * (the sender may be killed meanwhile), and honours the `Idempotency-Key` as providers do: a repeated key gets
 * the first message's id back and texts nobody again. It counts, per delivery, the requests, the messages it
 * texted and the distinct portal links they carried.
 */

export interface DeliveryTraffic {
  requests: number;
  texted: number;
  links: Set<string>;
}

export class SlowSmsGateway {
  readonly traffic = new Map<string, DeliveryTraffic>();
  private readonly firstIds = new Map<string, string>();
  private readonly server: http.Server;
  private seq = 0;
  url = '';
  /** Called when a request has been read, before the answer: the run may kill the sender here. */
  onReceived: (deliveryId: string) => void = () => undefined;

  constructor(
    private readonly secret: string,
    private readonly delayMs: [number, number],
  ) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signed = verifyPayload(
        this.secret,
        { timestamp: req.headers['x-timestamp'], signature: req.headers['x-signature'] },
        body,
      );
      if (!signed.ok) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad signature"}');
        return;
      }
      const message = JSON.parse(body) as { clientRef: string; text: string };
      const key = (req.headers['idempotency-key'] as string | undefined) ?? `no-key-${++this.seq}`;
      const t = this.traffic.get(message.clientRef) ?? { requests: 0, texted: 0, links: new Set<string>() };
      this.traffic.set(message.clientRef, t);
      t.requests++;
      let messageId = this.firstIds.get(key);
      if (!messageId) {
        messageId = `chaos-sms-${++this.seq}`;
        this.firstIds.set(key, messageId);
        t.texted++;
        const link = /\/n\/([A-Za-z0-9_-]{43})/.exec(message.text)?.[1];
        if (link) t.links.add(link);
      }
      this.onReceived(message.clientRef);
      const [min, max] = this.delayMs;
      setTimeout(
        () => {
          if (!res.destroyed)
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messageId }));
        },
        min + Math.random() * (max - min),
      );
    });
  }
}
