import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import { checkCameraUrl, pinnedLookup, type Resolver } from '../ingest/url-guard.js';
import { signedHeaders } from '../notices/hmac-signature.js';
import { toCsv, toJsonLines, type CreditRecord } from './credit-export.js';

/**
 * Where the export to the public credit platform goes. Two implementations: a file in a folder (JSON Lines or
 * CSV), handed over by whatever transfer the platform agrees to, and an HTTP push to a configured URL, signed
 * with HMAC-SHA256 like the other outbound calls (src/notices/hmac-signature.ts). No real endpoint is assumed.
 */
export interface CreditPlatform {
  readonly kind: 'file' | 'http';
  /** Sends one batch; the batch id is the same on a retry, so the receiver can answer a repeat once. */
  send(batch: { batchId: string; records: readonly CreditRecord[] }): Promise<{ reference: string }>;
}

/** A batch's id: a hash of what it carries, so the same records give the same id. */
export function batchIdOf(records: readonly CreditRecord[]): string {
  const hash = createHash('sha256');
  for (const r of records) hash.update(`${r.recordId}:${r.operation}\n`);
  return hash.digest('hex').slice(0, 32);
}

export class FileCreditPlatform implements CreditPlatform {
  readonly kind = 'file' as const;
  constructor(
    private readonly dir: string,
    private readonly format: 'jsonl' | 'csv' = 'jsonl',
  ) {}

  async send(batch: { batchId: string; records: readonly CreditRecord[] }) {
    await mkdir(this.dir, { recursive: true });
    const file = path.join(this.dir, `credit-${batch.batchId}.${this.format}`);
    await writeFile(file, this.format === 'csv' ? toCsv(batch.records) : toJsonLines(batch.records), 'utf8');
    return { reference: file };
  }
}

export class CreditPushError extends Error {
  override name = 'CreditPushError';
}

export interface HttpCreditPlatformOptions {
  url: string;
  secret: string;
  /** the outbound guard: the URL's addresses must pass it (the camera access policy's rules) */
  policy: CompiledAccessPolicy;
  resolver?: Resolver;
  timeoutMs?: number;
}

/** `POST <url>` with `{ batchId, records }`, signed, `Idempotency-Key: <batchId>`; a 2xx is taken. */
export class HttpCreditPlatform implements CreditPlatform {
  readonly kind = 'http' as const;
  constructor(private readonly options: HttpCreditPlatformOptions) {
    if (options.secret.length < 16)
      throw new Error('the credit platform secret needs at least 16 characters');
  }

  async send(batch: { batchId: string; records: readonly CreditRecord[] }) {
    const checked = await checkCameraUrl(this.options.url, this.options.policy, {
      schemes: ['http', 'https'],
      resolver: this.options.resolver,
    });
    if (checked.scheme === 'file') throw new CreditPushError('the credit platform URL must be http(s)');
    const body = JSON.stringify({ batchId: batch.batchId, records: batch.records });
    const client = checked.url.protocol === 'https:' ? https : http;
    const status = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = client.request(
        checked.url,
        {
          method: 'POST',
          lookup: pinnedLookup(checked.addresses),
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': batch.batchId,
            ...signedHeaders(this.options.secret, body),
          },
          timeout: this.options.timeoutMs ?? 10_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            if (chunks.reduce((n, b) => n + b.length, 0) < 65_536) chunks.push(c);
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new CreditPushError(`${checked.display}: no answer in time`)));
      req.on('error', reject);
      req.end(body);
    });
    if (status.status < 200 || status.status >= 300)
      throw new CreditPushError(`${checked.display} answered ${status.status}: ${status.text.slice(0, 200)}`);
    return { reference: `${checked.display} ${status.status}` };
  }
}
