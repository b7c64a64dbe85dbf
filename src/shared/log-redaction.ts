import { pino, type LoggerOptions } from 'pino';

/**
 * Secrets never reach a log line. A notice link (/n/<token>) is a credential for 120 days and the docs promise
 * that a copy of the database gives no usable link, so request URLs are logged with the token cut out, query
 * strings with their values cut out, and no headers at all (cookies, CSRF tokens, authorisation). Error messages
 * and stacks go through the same filter, because a library may quote the URL it failed on.
 */

export const REDACTED = '[redacted]';

// A portal link's token (or anything in its place), and any long token-like path segment elsewhere.
const PORTAL_PATH = /\/n\/[^/?#\s"'<>]*/g;
const TOKEN_SEGMENT = /(?<=\/)[A-Za-z0-9_-]{32,}(?=[/?#\s"'<>]|$)/g;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SAFE_QUERY_NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** A path with its secrets replaced; for URLs and for free text that may quote one. */
export function redactText(text: string): string {
  return text
    .replace(PORTAL_PATH, `/n/${REDACTED}`)
    .replace(TOKEN_SEGMENT, (segment) => (UUID.test(segment) ? segment : REDACTED));
}

/** A request URL fit for a log line: the path redacted, each query value replaced, odd query names dropped. */
export function redactRequestUrl(url: string): string {
  const q = url.indexOf('?');
  const path = redactText(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const names = url
    .slice(q + 1)
    .split('&')
    .map((pair) => pair.split('=')[0] ?? '')
    .filter((name) => SAFE_QUERY_NAME.test(name));
  return `${path}?${names.length ? names.map((name) => `${name}=${REDACTED}`).join('&') : REDACTED}`;
}

function errSerializer(err: Error | string): Record<string, unknown> | string {
  // several callers log only the message (`{ err: message }`): it is free text like any other
  if (typeof err === 'string') return redactText(err);
  const out = pino.stdSerializers.err(err) as unknown as Record<string, unknown>;
  for (const key of ['message', 'stack', 'url']) {
    if (typeof out[key] === 'string') out[key] = redactText(out[key]);
  }
  return out;
}

interface RequestLike {
  method?: string;
  url?: string;
  ip?: string;
  hostname?: string;
  id?: unknown;
}

/** pino options shared by the API's request logger and every worker's logger. */
export function redactingLoggerOptions(): Pick<LoggerOptions, 'serializers' | 'redact' | 'hooks'> {
  return {
    serializers: {
      err: errSerializer,
      error: errSerializer,
      // Only what finds a request again: never headers, never the raw URL.
      req: (req: RequestLike) => ({
        method: req.method,
        url: typeof req.url === 'string' ? redactRequestUrl(req.url) : undefined,
        host: req.hostname,
        remoteAddress: req.ip,
      }),
    },
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        'headers.cookie',
        'headers.authorization',
        'password',
        '*.password',
        'token',
        '*.token',
        'link',
        '*.link',
      ],
      censor: REDACTED,
    },
    hooks: {
      // Messages are free text: a caller may have put a URL in one.
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
        return method.apply(this, redacted as Parameters<typeof method>);
      },
    },
  };
}
