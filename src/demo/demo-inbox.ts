import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyPayload } from '../notices/hmac-signature.js';

export interface InboxMessage {
  to: string;
  text: string;
  receivedAt: Date;
}

/**
 * The demo's stand-in for an operator's SMS gateway: a local HTTP server that speaks the gateway protocol the
 * SMS channel uses (signed `POST /messages`, answers with a message id), checks the signature like a real
 * gateway would, and instead of sending a text message writes it to a file and hands it to the demo, which prints
 * the citizen's link. Only `npm run demo` starts it.
 */
export async function startDemoInbox(
  secret: string,
  logFile: string,
  onMessage: (m: InboxMessage) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const check = verifyPayload(
        secret,
        { timestamp: req.headers[TIMESTAMP_HEADER], signature: req.headers[SIGNATURE_HEADER] },
        body,
      );
      if (req.method !== 'POST' || req.url !== '/messages' || !check.ok) {
        res.writeHead(req.method === 'POST' && req.url === '/messages' ? 401 : 404).end();
        return;
      }
      const { to, text } = JSON.parse(body) as { to: string; text: string };
      const message = { to, text, receivedAt: new Date() };
      void appendFile(logFile, `${message.receivedAt.toISOString()} to ${to}: ${text}\n`);
      onMessage(message);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ messageId: randomUUID() }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
