import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received, for signature checks (set only where a route asks for it). */
    rawBody?: string;
  }
}

/** Registers a JSON parser that keeps the raw text; call inside an encapsulated plugin so it stays local. */
export function keepRawJsonBody(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 65_536 },
    (request, body, done) => {
      (request as FastifyRequest).rawBody = body as string;
      try {
        done(null, body === '' ? {} : JSON.parse(body as string));
      } catch {
        const error = new Error('body is not valid JSON') as Error & { statusCode: number };
        error.statusCode = 400;
        done(error, undefined);
      }
    },
  );
}
