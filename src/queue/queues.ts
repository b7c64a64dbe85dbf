import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { JOB_NAMES, type JobName, type JobPayloads } from './jobs.js';

export interface EnqueueOptions {
  /** Fixed id: adding a job whose id already exists adds nothing, which makes retries and duplicates harmless. */
  jobId: string;
  delayMs?: number;
  priority?: number;
  /** tries in all, when a stage needs other than the default (e.g. delivery to a gateway) */
  attempts?: number;
  /** first retry delay; each later one doubles */
  backoffMs?: number;
}

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
};

/** The one way to enqueue work: typed by job name, always with a fixed job id. */
export class Queues {
  private readonly queues = new Map<JobName, Queue>();

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
  ) {}

  queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      this.queues.set(name, q);
    }
    return q;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], opts: EnqueueOptions): Promise<void> {
    if (!opts.jobId || opts.jobId.includes(':')) {
      // BullMQ uses ':' in its own keys; a custom id with one is refused by Redis key layout rules.
      throw new Error(`job id for ${name} must be non-empty and free of ':' (got "${opts.jobId}")`);
    }
    await this.queue(name).add(name, payload, {
      jobId: opts.jobId,
      delay: opts.delayMs,
      priority: opts.priority,
      ...(opts.attempts !== undefined ? { attempts: opts.attempts } : {}),
      ...(opts.backoffMs !== undefined ? { backoff: { type: 'exponential', delay: opts.backoffMs } } : {}),
    });
  }

  /** Registers a repeatable job (scheduler), idempotent by its key. */
  async schedule<N extends JobName>(name: N, payload: JobPayloads[N], everyMs: number): Promise<void> {
    await this.queue(name).upsertJobScheduler(`${name}-every`, { every: everyMs }, { name, data: payload });
  }

  async counts(): Promise<Record<JobName, Record<string, number>>> {
    const out = {} as Record<JobName, Record<string, number>>;
    for (const name of JOB_NAMES) out[name] = await this.queue(name).getJobCounts();
    return out;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
