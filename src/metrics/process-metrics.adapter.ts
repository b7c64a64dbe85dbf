import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { JobName } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type {
  DeliveryAttemptOutcome,
  DetectPhases,
  FrameStage,
  JobOutcome,
  PipelineMetrics,
  ReviewBacklogRow,
} from './pipeline-metrics.js';

/*
 * The Prometheus side of PipelineMetrics: one registry per process (never prom-client's global one, so that tests
 * can build several apps in one process), the Node.js defaults (event-loop lag, heap, GC, CPU) and the pipeline's
 * own series. Names and labels are documented in docs/metrics.md; labels only ever take values from fixed sets
 * (stage, reason, queue, route pattern, channel), never an id, a URL or a token.
 */

const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'paused',
  'failed',
  'waiting-children',
] as const;

const ms = (v: number): number => Math.max(0, v) / 1000;

export class ProcessMetrics implements PipelineMetrics {
  readonly registry = new Registry();
  private readonly framesInTotal: Counter<'stage'>;
  private readonly framesOutTotal: Counter<'stage'>;
  private readonly framesDroppedTotal: Counter<'stage' | 'reason'>;
  private readonly sourceErrorsTotal: Counter<'code'>;
  private readonly inferenceSeconds: Histogram<'model'>;
  private readonly detectPhaseSeconds: Histogram<'phase'>;
  private readonly jobRunSeconds: Histogram<'queue' | 'outcome'>;
  private readonly jobWaitSeconds: Histogram<'queue'>;
  private readonly deliveriesTotal: Counter<'channel' | 'outcome'>;
  private readonly collectErrorsTotal: Counter<'source'>;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;

  constructor(
    processName: string,
    private readonly logger?: { warn(obj: object, msg: string): void },
  ) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ process: processName });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    this.framesInTotal = new Counter({
      name: 'enforcement_stage_frames_in_total',
      help: 'Frames a stage received: captured (ingest), taken from the queue (detect), considered (rules)',
      labelNames: ['stage'],
      registers,
    });
    this.framesOutTotal = new Counter({
      name: 'enforcement_stage_frames_out_total',
      help: 'Frames a stage passed on: stored and queued (ingest), detected (detect), applied (rules)',
      labelNames: ['stage'],
      registers,
    });
    this.framesDroppedTotal = new Counter({
      name: 'enforcement_stage_frames_dropped_total',
      help: 'Frames a stage let go, by reason',
      labelNames: ['stage', 'reason'],
      registers,
    });
    this.sourceErrorsTotal = new Counter({
      name: 'enforcement_ingest_source_errors_total',
      help: 'Errors reported by camera sources, by error code',
      labelNames: ['code'],
      registers,
    });
    this.inferenceSeconds = new Histogram({
      name: 'enforcement_detect_inference_seconds',
      help: 'Time onnxruntime spent on one frame (all its views)',
      labelNames: ['model'],
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1, 2, 5],
      registers,
    });
    this.detectPhaseSeconds = new Histogram({
      name: 'enforcement_detect_phase_seconds',
      help: 'Time one frame spent in each phase of detection',
      labelNames: ['phase'],
      buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    });
    this.jobRunSeconds = new Histogram({
      name: 'enforcement_job_run_seconds',
      help: 'Time a job handler ran, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.jobWaitSeconds = new Histogram({
      name: 'enforcement_job_wait_seconds',
      help: 'Time a job was ready in its queue before a worker took it (first try)',
      labelNames: ['queue'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers,
    });
    this.deliveriesTotal = new Counter({
      name: 'enforcement_deliveries_total',
      help: 'Notice delivery attempts, by channel and outcome',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.collectErrorsTotal = new Counter({
      name: 'enforcement_metrics_collect_errors_total',
      help: 'Scrapes for which a figure could not be read (Redis or Postgres unreachable)',
      labelNames: ['source'],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'enforcement_http_request_duration_seconds',
      help: 'HTTP request time by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  framesIn(stage: FrameStage, count = 1): void {
    if (count > 0) this.framesInTotal.inc({ stage }, count);
  }

  framesOut(stage: FrameStage, count = 1): void {
    if (count > 0) this.framesOutTotal.inc({ stage }, count);
  }

  framesDropped(stage: FrameStage, reason: string, count = 1): void {
    if (count > 0) this.framesDroppedTotal.inc({ stage, reason }, count);
  }

  sourceError(code: string): void {
    this.sourceErrorsTotal.inc({ code });
  }

  detected(model: string, phases: DetectPhases): void {
    this.inferenceSeconds.observe({ model }, ms(phases.inferMs));
    this.detectPhaseSeconds.observe({ phase: 'decode' }, ms(phases.decodeMs));
    this.detectPhaseSeconds.observe({ phase: 'pack' }, ms(phases.packMs));
    this.detectPhaseSeconds.observe({ phase: 'queue' }, ms(phases.queueMs));
    this.detectPhaseSeconds.observe({ phase: 'infer' }, ms(phases.inferMs));
    this.detectPhaseSeconds.observe({ phase: 'postprocess' }, ms(phases.postprocessMs));
    this.detectPhaseSeconds.observe({ phase: 'total' }, ms(phases.totalMs));
  }

  jobDone(queue: string, outcome: JobOutcome, runMs: number, waitMs: number | null): void {
    this.jobRunSeconds.observe({ queue, outcome }, ms(runMs));
    if (waitMs !== null) this.jobWaitSeconds.observe({ queue }, ms(waitMs));
  }

  delivery(channel: string, outcome: DeliveryAttemptOutcome): void {
    this.deliveriesTotal.inc({ channel, outcome });
  }

  /** Depth of the queues, by state, and the age of each one's oldest waiting job, read from Redis at each scrape. */
  watchQueues(queues: Queues, names: readonly JobName[]): void {
    const failed = (err: unknown) => {
      this.collectErrorsTotal.inc({ source: 'queues' });
      this.logger?.warn({ err: (err as Error).message }, 'queue figures could not be read');
    };
    new Gauge({
      name: 'enforcement_queue_jobs',
      help: 'Jobs in each queue, by state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const name of names) {
            const counts = await queues.queue(name).getJobCounts(...QUEUE_STATES);
            for (const state of QUEUE_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          }
        } catch (err) {
          failed(err);
        }
      },
    });
    new Gauge({
      name: 'enforcement_queue_oldest_waiting_seconds',
      help: 'Age of the oldest job waiting in each queue since it became ready (0 when none waits)',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const now = Date.now();
          for (const name of names) {
            // waiting jobs are a list, newest pushed first: ascending order puts the oldest first
            const [oldest] = await queues.queue(name).getJobs(['waiting'], 0, 0, true);
            const readyAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : now;
            this.set({ queue: name }, Math.max(0, now - readyAt) / 1000);
          }
        } catch (err) {
          failed(err);
        }
      },
    });
  }

  /** Legal review tasks still open or claimed, by district and stage, read from Postgres at each scrape. */
  watchReviewBacklog(read: () => Promise<ReviewBacklogRow[]>): void {
    let rows: Promise<ReviewBacklogRow[]> | null = null;
    // Both gauges are collected in one scrape: they share one query.
    const once = () => {
      rows ??= read().finally(() => setImmediate(() => (rows = null)));
      return rows;
    };
    const failed = (err: unknown) => {
      this.collectErrorsTotal.inc({ source: 'review' });
      this.logger?.warn({ err: (err as Error).message }, 'review backlog could not be read');
    };
    new Gauge({
      name: 'enforcement_review_backlog_tasks',
      help: 'Review tasks waiting for a decision, by district, stage (evidence, legal) and status (open, claimed)',
      labelNames: ['district', 'stage', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          for (const r of await once())
            this.set({ district: r.districtId, stage: r.stage, status: r.status }, r.tasks);
        } catch (err) {
          failed(err);
        }
      },
    });
    new Gauge({
      name: 'enforcement_review_backlog_oldest_seconds',
      help: 'Age of the oldest review task waiting for a decision, by district and stage',
      labelNames: ['district', 'stage'],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const oldest = new Map<string, { district: string; stage: string; seconds: number }>();
          for (const r of await once()) {
            const key = `${r.districtId}\u0000${r.stage}`;
            const seen = oldest.get(key);
            if (!seen || r.oldestSeconds > seen.seconds)
              oldest.set(key, { district: r.districtId, stage: r.stage, seconds: r.oldestSeconds });
          }
          for (const o of oldest.values()) this.set({ district: o.district, stage: o.stage }, o.seconds);
        } catch {
          // counted once, by the first gauge
        }
      },
    });
  }

  /** The exposition text and its content type, for a /metrics response. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
