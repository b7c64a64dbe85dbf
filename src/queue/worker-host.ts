import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { NO_METRICS, type PipelineMetrics } from '../metrics/pipeline-metrics.js';
import { exitProcess } from '../shared/process-exit.js';
import type { Logger } from '../shared/logger.js';
import type { JobName, JobPayloads } from './jobs.js';

export type JobHandler<N extends JobName> = (
  payload: JobPayloads[N],
  job: Job<JobPayloads[N]>,
) => Promise<void>;

export interface HandlerSpec<N extends JobName> {
  handle: JobHandler<N>;
  concurrency?: number;
  /** How long a job's lock lasts; the worker renews it while the handler runs. */
  lockDurationMs?: number;
}

export type Handlers = { [N in JobName]?: HandlerSpec<N> };

export interface WorkerHostOptions {
  connection: Redis;
  prefix: string;
  logger: Logger;
  handlers: Handlers;
  /** The jobs this process is meant to serve; start-up fails if one of them has no handler. */
  serves: readonly JobName[];
  /** job run and wait times go here (none by default) */
  metrics?: PipelineMetrics;
  /**
   * Lock of a job whose handler sets none, and how often jobs whose process died (lock expired) are looked for
   * and taken again (default 30 s).
   */
  lockMs?: number;
}

export class WorkerHost {
  private readonly workers: Worker[] = [];
  private stopping: Promise<void> | null = null;

  constructor(private readonly opts: WorkerHostOptions) {
    const missing = opts.serves.filter((name) => !opts.handlers[name]);
    if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
  }

  start(): void {
    for (const name of this.opts.serves) {
      const spec = this.opts.handlers[name] as HandlerSpec<JobName>;
      const log = this.opts.logger.child({ queue: name });
      const metrics = this.opts.metrics ?? NO_METRICS;
      const worker = new Worker(
        name,
        async (job: Job) => {
          const started = Date.now();
          // ready since it was added, or since its delay ran out; retries wait for their backoff, not counted
          const waitMs =
            job.attemptsMade === 0 && job.processedOn
              ? job.processedOn - (job.timestamp + (job.delay ?? 0))
              : null;
          try {
            await spec.handle(job.data as never, job as never);
          } catch (err) {
            metrics.jobDone(name, 'failed', Date.now() - started, waitMs);
            throw err;
          }
          metrics.jobDone(name, 'completed', Date.now() - started, waitMs);
        },
        {
          connection: this.opts.connection,
          prefix: this.opts.prefix,
          concurrency: spec.concurrency ?? 1,
          lockDuration: Math.max(spec.lockDurationMs ?? 0, this.opts.lockMs ?? 30_000),
          stalledInterval: this.opts.lockMs ?? 30_000,
          autorun: true,
        },
      );
      worker.on('failed', (job, err) =>
        log.warn({ jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'job failed'),
      );
      worker.on('error', (err) => log.error({ err: err.message }, 'worker error'));
      this.workers.push(worker);
    }
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  /** Lets jobs in hand finish (their locks stay renewed meanwhile), takes no new ones, then closes. */
  stop(): Promise<void> {
    this.stopping ??= Promise.all(this.workers.map((w) => w.close())).then(() => undefined);
    return this.stopping;
  }
}

export interface StopOptions {
  /** How long an orderly stop may take before the process exits with the jobs in hand (default 30 s). */
  graceMs?: number;
}

/**
 * Process wiring for a worker entry point: SIGTERM/SIGINT start an orderly stop (finish the job in hand, close
 * workers, then the given resources); a second signal, or a stop that takes too long, exits at once and the
 * job's lock simply expires so another worker takes it again. Every exit goes through exitProcess, so work
 * registered with registerBeforeExit settles first.
 */
export function stopOnSignals(
  logger: Logger,
  stop: () => Promise<void>,
  closeResources: () => Promise<void>,
  options: StopOptions = {},
): void {
  const { graceMs = 30_000 } = options;
  const exit = (code: number) => exitProcess(logger, code);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, 'second signal, exiting now');
      exit(130);
      return;
    }
    signalled = true;
    logger.info({ signal }, 'stopping: finishing jobs in hand');
    const timer = setTimeout(() => {
      logger.error('stop took too long; exiting with jobs in hand (their locks will expire)');
      exit(1);
    }, graceMs);
    timer.unref();
    stop()
      .then(closeResources)
      .then(() => {
        logger.info('stopped');
        exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'error while stopping');
        exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
