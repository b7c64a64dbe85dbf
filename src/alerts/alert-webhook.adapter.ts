import http from 'node:http';
import https from 'node:https';
import { compileAccessPolicy, type CompiledAccessPolicy } from '../ingest/access-policy.js';
import { checkCameraUrl, pinnedLookup, type Resolver } from '../ingest/url-guard.js';
import { signedHeaders } from '../notices/hmac-signature.js';

/**
 * The alert webhook: a JSON POST to one configured URL, signed like every provider exchange (HMAC-SHA256 over
 * `<timestamp>.<body>` in `x-timestamp` and `x-signature`, notices/hmac-signature.ts), with an
 * `Idempotency-Key` of the alert and phase so that a repeat after a lost answer can be recognised.
 *
 * The URL passes the outbound URL guard of the ingest workers (ingest/url-guard.ts) before every request, and
 * the socket connects only to the addresses the guard checked: cloud metadata and link-local addresses are
 * always refused; private and loopback networks only when configured (ALERT_WEBHOOK_ALLOW_PRIVATE,
 * ALERT_WEBHOOK_ALLOW_LOOPBACK); the webhook's own host name may have public addresses. Redirects are not
 * followed.
 */

export interface AlertWebhookOptions {
  url: string;
  secret: string;
  allowPrivate: boolean;
  allowLoopback: boolean;
  resolver?: Resolver;
  timeoutMs?: number;
}

export class AlertWebhook {
  private readonly policy: CompiledAccessPolicy;

  constructor(private readonly options: AlertWebhookOptions) {
    if (!options.secret) throw new Error('the alert webhook needs its shared secret');
    const host = new URL(options.url).hostname.replace(/^\[(.*)\]$/, '$1');
    this.policy = compileAccessPolicy({
      allowPrivate: options.allowPrivate,
      allowLoopback: options.allowLoopback,
      allowMulticast: false,
      // the operator named this host: its public addresses are where the webhook lives
      allowHosts: /^[0-9.:]+$/.test(host) ? [] : [host],
    });
  }

  /** Posts a body; resolves with the status of a 2xx answer, throws on anything else. */
  async post(body: string, idempotencyKey: string): Promise<number> {
    const target = await checkCameraUrl(this.options.url, this.policy, {
      schemes: ['http', 'https'],
      resolver: this.options.resolver,
    });
    if (target.scheme === 'file') throw new Error('the alert webhook must be an http(s) URL');
    const client = target.scheme === 'https' ? https : http;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    return new Promise<number>((resolve, reject) => {
      const req = client.request(
        target.url,
        {
          method: 'POST',
          lookup: pinnedLookup(target.addresses),
          servername: target.scheme === 'https' ? target.hostname : undefined,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': idempotencyKey,
            'user-agent': 'city-enforcement-alerts',
            ...signedHeaders(this.options.secret, body),
          },
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(status);
            else reject(new Error(`webhook ${target.display} answered ${status}`));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`webhook ${target.display}: no answer in ${timeoutMs} ms`)),
      );
      req.on('error', (err) => reject(new Error(`webhook ${target.display}: ${err.message}`)));
      req.end(body);
    });
  }
}
