import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../shared/errors.js';
import { BlobStoreUnavailableError } from '../storage/blob-store.js';

/**
 * One place that turns errors into responses: domain errors and schema failures become 4xx with a clear message;
 * anything else is a 500 whose details stay in the log (with the request id to find them).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    if (err instanceof DomainError) {
      return reply
        .status(err.statusCode)
        .send({ error: err.code, message: err.message, details: err.details });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      return reply.status(400).send({ error: 'invalid_input', message: fe.message });
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      const code =
        fe.statusCode === 429
          ? 'rate_limited'
          : fe.code?.startsWith('FST_CSRF')
            ? 'csrf'
            : (fe.code ?? 'bad_request');
      return reply.status(fe.statusCode).send({ error: code, message: fe.message });
    }
    if (err instanceof BlobStoreUnavailableError) {
      // The object store is away or slow: nothing was lost, the same request will work once it is back.
      request.log.error({ err: err.message }, 'blob store unavailable');
      return reply.status(503).header('retry-after', '30').send({
        error: 'storage_unavailable',
        message: '存储服务暂时不可用，请稍后再试 (the file store is unavailable; try again later)',
        requestId: request.id,
      });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: 'internal', message: 'internal error', requestId: request.id });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` });
  });
}
