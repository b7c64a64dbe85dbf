import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger.js';
import { scrapeAllowed } from './metrics-auth.js';
import type { ProcessMetrics } from './process-metrics.adapter.js';

export interface MetricsServer {
  /** the port it listens on (the one chosen by the system when 0 was asked for) */
  port: number;
  close(): Promise<void>;
}

export class MetricsPortError extends Error {
  override name = 'MetricsPortError';
}

/**
 * A worker's own small HTTP server: `GET /metrics` in Prometheus's text format (and `/health/live`). Workers
 * have no HTTP app of their own, and a port per worker kind lets one machine run one of each; a second worker of
 * the same kind on a machine needs another port (or 0 for any free one, which it logs).
 */
export async function serveMetrics(opts: {
  metrics: ProcessMetrics;
  host: string;
  port: number;
  token: string;
  logger: Logger;
  /** the variable that set the port, named in the error when it is taken */
  variable: string;
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/health/live') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (!scrapeAllowed(opts.token, req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    opts.metrics
      .exposition()
      .then(({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body))
      .catch((err: unknown) => {
        opts.logger.error({ err }, 'metrics could not be rendered');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable');
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new MetricsPortError(
              `${opts.variable}: port ${opts.port} on ${opts.host} is taken; give each worker on a machine its own port, or 0 for any free one`,
            )
          : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  opts.logger.info({ metricsPort: port, host: opts.host }, 'metrics served');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
