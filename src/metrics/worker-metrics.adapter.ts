import type { JobName } from '../queue/jobs.js';
import type { Runtime } from '../app/runtime.js';
import { MetricsPortError, serveMetrics } from './metrics-server.adapter.js';
import { ProcessMetrics } from './process-metrics.adapter.js';

export type WorkerKind = 'ingest' | 'detect' | 'rules' | 'notify';

const PORT_FIELD = {
  ingest: ['ingestMetricsPort', 'INGEST_METRICS_PORT'],
  detect: ['detectMetricsPort', 'DETECT_METRICS_PORT'],
  rules: ['rulesMetricsPort', 'RULES_METRICS_PORT'],
  notify: ['notifyMetricsPort', 'NOTIFY_METRICS_PORT'],
} as const;

export interface WorkerMetrics {
  metrics: ProcessMetrics;
  /** null when the port is configured off */
  port: number | null;
  close(): Promise<void>;
}

/**
 * A worker's metrics: the process's registry, the depth of the queues it serves, and its /metrics server on the
 * port configured for its kind. A port that is taken stops start-up with the variable named (exit 78, like any
 * other configuration error).
 */
export async function startWorkerMetrics(
  rt: Runtime,
  kind: WorkerKind,
  queues: readonly JobName[],
): Promise<WorkerMetrics> {
  const metrics = new ProcessMetrics(`${kind}-worker`, rt.logger);
  if (queues.length > 0) metrics.watchQueues(rt.queues, queues);
  const [field, variable] = PORT_FIELD[kind];
  const port = rt.config[field];
  if (port === null) return { metrics, port: null, close: async () => undefined };
  try {
    const server = await serveMetrics({
      metrics,
      host: rt.config.metricsHost,
      port,
      token: rt.config.metricsToken,
      logger: rt.logger,
      variable,
    });
    return { metrics, port: server.port, close: () => server.close() };
  } catch (err) {
    if (!(err instanceof MetricsPortError)) throw err;
    console.error(`configuration error: ${err.message}`);
    process.exit(78);
  }
}
