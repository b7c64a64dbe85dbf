import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { scrapeAllowed } from './metrics-auth.js';
import type { ProcessMetrics } from './process-metrics.adapter.js';

/**
 * HTTP figures for the API: every response is timed under its route pattern (`/n/:token`, never the URL itself,
 * so no token, id or query string reaches a label), and `GET /metrics` serves the process's registry.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, opts: { metrics: ProcessMetrics; serve: boolean; token: string }) => {
    app.addHook('onResponse', async (request, reply) => {
      opts.metrics.httpSeconds.observe(
        {
          method: request.method,
          // requests that matched no route share one label, whatever their path
          route: request.routeOptions.url ?? 'unmatched',
          status: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
    if (!opts.serve) return;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!scrapeAllowed(opts.token, request.headers.authorization)) {
        return reply
          .status(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'unauthorized', message: 'metrics need the bearer token' });
      }
      const { contentType, body } = await opts.metrics.exposition();
      return reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
    });
  },
  { name: 'metrics' },
);
