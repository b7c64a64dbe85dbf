import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

const port = (description: string) =>
  Type.Union([Type.Integer({ minimum: 0, maximum: 65535 }), Type.Null()], { description });

/** Prometheus metrics of the API and of each worker kind, and the admins' queue board. */
export const metricsSchema = {
  apiMetrics: Type.Boolean({ description: 'API_METRICS: serve Prometheus metrics on the API at /metrics' }),
  metricsToken: Type.String({
    pattern: '^(.{16,})?$',
    description:
      'METRICS_TOKEN: when set (at least 16 characters), /metrics answers only with "Authorization: Bearer <token>"',
  }),
  metricsHost: Type.String({
    minLength: 1,
    description: "METRICS_HOST: address the workers' metrics servers listen on",
  }),
  ingestMetricsPort: port(
    'INGEST_METRICS_PORT: metrics port of an ingest worker; off disables, 0 takes any free port',
  ),
  detectMetricsPort: port(
    'DETECT_METRICS_PORT: metrics port of a detect worker; off disables, 0 takes any free port',
  ),
  rulesMetricsPort: port(
    'RULES_METRICS_PORT: metrics port of a rules worker; off disables, 0 takes any free port',
  ),
  notifyMetricsPort: port(
    'NOTIFY_METRICS_PORT: metrics port of a notify worker; off disables, 0 takes any free port',
  ),
  queueBoard: Type.Union([Type.Literal('off'), Type.Literal('read-only'), Type.Literal('writable')], {
    description: "QUEUE_BOARD: the admins' queue board at /admin/queues: off, read-only or writable",
  }),
};

export function readMetrics(env: EnvReader) {
  return {
    apiMetrics: env.bool('API_METRICS', true),
    metricsToken: env.get('METRICS_TOKEN', ''),
    metricsHost: env.get('METRICS_HOST', '127.0.0.1'),
    ingestMetricsPort: env.port('INGEST_METRICS_PORT', 9101),
    detectMetricsPort: env.port('DETECT_METRICS_PORT', 9102),
    rulesMetricsPort: env.port('RULES_METRICS_PORT', 9103),
    notifyMetricsPort: env.port('NOTIFY_METRICS_PORT', 9104),
    queueBoard: env.get('QUEUE_BOARD', 'read-only'),
  };
}
