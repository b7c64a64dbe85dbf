import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../shared/errors.js';
import { messageFor } from './error-language.js';
import { BlobStoreUnavailableError } from '../storage/blob-store.js';

/**
 * One place that turns errors into responses: domain errors and schema failures become 4xx with a clear message;
 * anything else is a 500 whose details stay in the log (with the request id to find them).
 */
/** What a failed request answers: its status, a stable code, a message for the caller. */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  /** extra response headers (a retry hint) */
  headers?: Record<string, string>;
}

/**
 * Decides how an error is answered: domain errors and schema failures become 4xx with a clear message; anything
 * else is a 500 whose details stay in the log (with the request id to find them). The JSON API and the pages
 * share this decision and only differ in how they render it.
 */
export function answerFor(err: FastifyError | DomainError | Error, request: FastifyRequest): ErrorAnswer {
  if (err instanceof DomainError) {
    return { status: err.statusCode, code: err.code, message: err.message, details: err.details };
  }
  const fe = err as FastifyError;
  if (fe.validation) return { status: 400, code: 'invalid_input', message: fe.message };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code =
      fe.statusCode === 429
        ? 'rate_limited'
        : fe.code?.startsWith('FST_CSRF')
          ? 'csrf'
          : (fe.code ?? 'bad_request');
    return { status: fe.statusCode, code, message: fe.message };
  }
  if (err instanceof BlobStoreUnavailableError) {
    // The object store is away or slow: nothing was lost, the same request will work once it is back.
    request.log.error({ err: err.message }, 'blob store unavailable');
    return {
      status: 503,
      code: 'storage_unavailable',
      message: '存储服务暂时不可用，请稍后再试 (the file store is unavailable; try again later)',
      headers: { 'retry-after': '30' },
    };
  }
  const away = serviceAway(err);
  if (away) {
    // Postgres or Redis restarting or out of reach: nothing was done (a transaction was rolled back), and the
    // same request will work once it is back.
    request.log.error({ service: away, err: (err as Error).message }, 'service unavailable');
    return {
      status: 503,
      code: 'service_unavailable',
      message: '服务暂时不可用，请稍后再试 (a service is unavailable; try again later)',
      headers: { 'retry-after': '10' },
    };
  }
  const stored = storageRefusal(err);
  if (stored) {
    request.log.warn({ sqlState: (err as { code?: string }).code }, 'input refused by the database');
    return stored;
  }
  request.log.error({ err }, 'unhandled error');
  return { status: 500, code: 'internal', message: 'internal error' };
}

/** How a URL no route serves is answered to a browser asking for a page (the pages live in src/web/). */
export interface NotFoundPage {
  wants(request: FastifyRequest): boolean;
  send(request: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/**
 * The JSON API's error handler and the one answer for an unknown route: the 404 page for a browser asking for a
 * page (when `notFoundPage` is given), JSON for the API and every other client.
 */
export function installErrorHandler(
  app: FastifyInstance,
  options: { notFoundPage?: NotFoundPage } = {},
): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    const answer = answerFor(err, request);
    if (answer.headers) reply.headers(answer.headers);
    return reply.status(answer.status).send({
      error: answer.code,
      message: answer.message,
      // the message in the reader's language, which the pages' scripts show; `message` stays the API's English
      text: messageFor(answer.message, answer.code, readerLanguage(request)),
      ...(answer.details !== undefined ? { details: answer.details } : {}),
      ...(answer.status >= 500 ? { requestId: request.id } : {}),
    });
  });

  app.setNotFoundHandler((request, reply) => {
    if (options.notFoundPage?.wants(request)) return options.notFoundPage.send(request, reply);
    return reply
      .status(404)
      .send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });
}

/** The language a request's reader reads: a staff member's choice, else Chinese unless the browser asks for English. */
export function readerLanguage(request: FastifyRequest): 'zh' | 'en' {
  const staff = request.staff;
  if (staff) return staff.lang ?? 'zh';
  return /^en\b/i.test(request.headers['accept-language'] ?? '') ? 'en' : 'zh';
}

/** Network error codes of a connection refused, cut or never made. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Which service an error says is away, if any: Postgres shutting down, restarting or refusing connections
 * (SQLSTATE class 08, 57P01-57P03, 53300), the pool unable to connect in time or its connection cut, or Redis
 * out of reach (ioredis gives up after the request client's retry, or refuses a command while disconnected), or
 * a connection refused or cut at the socket. Anything else is not a service away and stays a 500.
 */
export function serviceAway(err: unknown): 'postgres' | 'redis' | 'connection' | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & { code?: unknown; severity?: unknown };
  if (typeof e.code === 'string' && typeof e.severity === 'string') {
    return e.code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(e.code)
      ? 'postgres'
      : null;
  }
  if (e.name === 'MaxRetriesPerRequestError') return 'redis';
  if (/enableOfflineQueue options is false|^Connection is closed\.?$/.test(e.message)) return 'redis';
  if (
    /^timeout exceeded when trying to connect$|^Connection terminated( unexpectedly| due to connection timeout)?$/.test(
      e.message,
    )
  )
    return 'postgres';
  // a connection refused or cut below the driver (the pool connecting to Postgres, most often)
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return 'connection';
  return null;
}

/**
 * Postgres refusing a value is the client's fault, not ours: a date that does not exist, a number out of range,
 * a reference to a district that is not there. Routes check what they can first, with better words; this is
 * the net under them so that such input is a 4xx and, the transaction being rolled back, leaves nothing behind.
 * Only SQLSTATE classes that describe the data are mapped; anything else stays a 500.
 */
function storageRefusal(err: unknown): ErrorAnswer | null {
  const e = err as { code?: unknown; severity?: unknown };
  if (typeof e.code !== 'string' || typeof e.severity !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code))
    return null;
  // class 22: data exception (value out of range, invalid date, invalid text such as U+0000)
  if (e.code.startsWith('22'))
    return { status: 400, code: 'invalid_input', message: 'a value is out of range or not valid' };
  if (e.code === '23503')
    return { status: 400, code: 'invalid_reference', message: 'a referenced record does not exist' };
  if (e.code === '23514')
    return { status: 400, code: 'invalid_input', message: 'a value breaks a rule of the record' };
  if (e.code === '23505') return { status: 409, code: 'conflict', message: 'such a record already exists' };
  return null;
}
