import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { CompiledAccessPolicy } from './access-policy.js';
import { FrameRejectedError, IngestError, SourceFailureError } from './ingest-errors.js';
import { checkCameraUrl, pinnedLookup, type CheckedNetworkUrl, type Resolver } from './url-guard.js';

/**
 * HTTP(S) GET for camera URLs: every hop (the first URL and each redirect target) passes the URL guard, and
 * the socket connects to the address the guard checked. Redirects are followed here, by hand, because an
 * automatic redirect is exactly how a harmless-looking camera URL would lead a worker to 169.254.169.254.
 */
export interface GuardedGetOptions {
  policy: CompiledAccessPolicy;
  resolver?: Resolver;
  maxRedirects: number;
  /** Deadline in milliseconds: for `fetchLimited` the whole exchange, for `openStream` until the headers. */
  timeoutMs: number;
  accept: string;
  /** Aborts the request when the source closes. */
  signal?: AbortSignal;
}

export interface FetchedBody {
  body: Buffer;
  contentType: string | undefined;
  /** The URL that finally answered, after redirects. */
  url: CheckedNetworkUrl;
}

const USER_AGENT = 'city-enforcement-ingest';
const HTTP_SCHEMES = ['http', 'https'] as const;

/** Fetches a whole body, stopping as soon as it passes `maxBytes`. */
export async function fetchLimited(
  rawUrl: string,
  maxBytes: number,
  options: GuardedGetOptions,
): Promise<FetchedBody> {
  const deadline = new Deadline(options.timeoutMs, options.signal);
  try {
    const { response, url } = await requestFollowingRedirects(rawUrl, options, deadline);
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      response.destroy();
      throw new FrameRejectedError(
        'too_large',
        `${url.display}: Content-Length ${declared} is over ${maxBytes} bytes`,
      );
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > maxBytes) {
          response.destroy();
          throw new FrameRejectedError(
            'too_large',
            `${url.display}: the response passed ${maxBytes} bytes; cut off`,
          );
        }
        chunks.push(chunk);
      }
    } catch (error) {
      throw deadline.explain(error, url.display);
    }
    return { body: Buffer.concat(chunks), contentType: response.headers['content-type'], url };
  } finally {
    deadline.clear();
  }
}

export interface OpenStream {
  response: IncomingMessage;
  url: CheckedNetworkUrl;
  /** Ends the request and frees the socket. */
  close(): void;
}

/** Opens an endless body (an MJPEG or MPEG-TS stream); the deadline covers connecting and the headers only. */
export async function openStream(rawUrl: string, options: GuardedGetOptions): Promise<OpenStream> {
  const deadline = new Deadline(options.timeoutMs, options.signal);
  try {
    const { response, url } = await requestFollowingRedirects(rawUrl, options, deadline);
    deadline.clearTimer();
    return {
      response,
      url,
      close: () => {
        response.destroy();
        deadline.clear();
      },
    };
  } catch (error) {
    deadline.clear();
    throw error;
  }
}

async function requestFollowingRedirects(
  rawUrl: string,
  options: GuardedGetOptions,
  deadline: Deadline,
): Promise<{ response: IncomingMessage; url: CheckedNetworkUrl }> {
  let next = rawUrl;
  for (let hop = 0; ; hop++) {
    const checked = await checkCameraUrl(next, options.policy, {
      schemes: HTTP_SCHEMES,
      resolver: options.resolver,
    });
    // checkCameraUrl admitted only the schemes asked for; this narrows the type for the compiler.
    if (checked.scheme !== 'http' && checked.scheme !== 'https')
      throw new Error(`${checked.display}: not HTTP`);
    const response = await get(checked, options.accept, deadline);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.destroy();
      const location = response.headers.location;
      if (!location) {
        throw new SourceFailureError(
          'bad_status',
          `${checked.display}: HTTP ${status} redirect without a Location`,
        );
      }
      if (hop >= options.maxRedirects) {
        throw new SourceFailureError(
          'too_many_redirects',
          `${checked.display}: more than ${options.maxRedirects} redirects (the last pointed to ${new URL(location, checked.url).origin})`,
        );
      }
      next = new URL(location, checked.url).toString();
      continue;
    }
    if (status < 200 || status >= 300) {
      response.destroy();
      throw new SourceFailureError('bad_status', `${checked.display}: the camera answered HTTP ${status}`);
    }
    return { response, url: checked };
  }
}

function get(target: CheckedNetworkUrl, accept: string, deadline: Deadline): Promise<IncomingMessage> {
  const client = target.scheme === 'https' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(target.url, {
      lookup: pinnedLookup(target.addresses),
      signal: deadline.signal,
      agent: false,
      headers: { accept, 'user-agent': USER_AGENT },
    });
    request.once('response', resolve);
    request.once('error', (error) => reject(deadline.explain(error, target.display)));
  });
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/** One timer and one abort signal for a whole exchange, and the knowledge of why it was aborted. */
class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onOuterAbort = () => this.controller.abort();

  constructor(
    private readonly timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    if (outer?.aborted) this.controller.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  clear(): void {
    this.clearTimer();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  /** Turns whatever a socket threw into an IngestError that says which limit or failure it was. */
  explain(error: unknown, display: string): IngestError {
    if (error instanceof IngestError) return error;
    if (this.timedOut) {
      return new SourceFailureError('timeout', `${display}: no complete answer within ${this.timeoutMs} ms`, {
        cause: error,
      });
    }
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = error instanceof Error ? error.message : String(error);
    if (this.outer?.aborted)
      return new SourceFailureError('stream_failed', `${display}: cancelled`, { cause: error });
    if (UNREACHABLE_CODES.has(code)) {
      return new SourceFailureError('unreachable', `${display}: cannot connect (${code})`, { cause: error });
    }
    if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
      return new SourceFailureError('unreachable', `${display}: TLS failed (${code}: ${message})`, {
        cause: error,
      });
    }
    return new SourceFailureError('stream_failed', `${display}: ${message}`, { cause: error });
  }
}
