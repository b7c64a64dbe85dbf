import { Queue, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../shared/logger.js';
import {
  DEFAULT_JOB_OPTIONS,
  JOB_NAMES,
  instanceJobId,
  jobIds,
  type JobName,
  type JobPayloads,
} from './jobs.js';

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

export interface QueuesOptions {
  /**
   * The database's instance id (see queue-instance.repo.ts), carried in every job id so that ids built from
   * database serials never meet the jobs of another database in the same Redis. Read once, on first use.
   */
  instance?: () => Promise<string>;
  /** Where a scheduler that cannot be registered again after a reconnect is reported. */
  logger?: Logger;
}

interface Scheduled {
  name: JobName;
  payload: unknown;
  everyMs: number;
}

/** The one way to enqueue work: typed by job name, always with a fixed job id. */
export class Queues {
  private readonly queues = new Map<JobName, Queue>();
  private instance: Promise<string> | null = null;
  private readonly scheduled = new Map<string, Scheduled>();
  private scheduleCheck: NodeJS.Timeout | null = null;
  private readonly onReady = () => void this.restoreSchedules('reconnected');

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
    private readonly options: QueuesOptions = {},
  ) {}

  /** The id a job has in Redis for the id a stage gives it (the same when no instance is configured). */
  async jobId(localId: string): Promise<string> {
    if (!this.options.instance) return localId;
    this.instance ??= this.options.instance().catch((error: unknown) => {
      this.instance = null;
      throw error;
    });
    return instanceJobId(await this.instance, localId);
  }

  /** A job by the id its stage gave it. */
  async job(name: JobName, localId: string): Promise<Job | undefined> {
    return this.queue(name).getJob(await this.jobId(localId));
  }

  queue(name: JobName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Without a listener BullMQ prints each connection error as a raw stack trace on stderr. The outage itself
      // is logged once by the connection (shared/redis.ts); the commands that fail report themselves.
      q.on('error', (err: Error) =>
        this.options.logger?.debug({ queue: name, err: err.message }, 'queue error'),
      );
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
      jobId: await this.jobId(opts.jobId),
      delay: opts.delayMs,
      priority: opts.priority,
      ...(opts.attempts !== undefined ? { attempts: opts.attempts } : {}),
      ...(opts.backoffMs !== undefined ? { backoff: { type: 'exponential', delay: opts.backoffMs } } : {}),
    });
  }

  /**
   * Registers a repeatable job (scheduler), idempotent by its key. A scheduler lives in Redis only, so a Redis
   * that comes back without its data has lost it: this process registers it again whenever its connection is
   * ready again, and checks every `checkEveryMs` that it is still there (a flush without a reconnect).
   */
  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    checkEveryMs = 60_000,
  ): Promise<void> {
    const id = jobIds.scheduler(name);
    this.scheduled.set(id, { name, payload, everyMs });
    await this.upsertScheduler(id, this.scheduled.get(id)!);
    if (this.scheduled.size === 1) this.connection.on('ready', this.onReady);
    if (!this.scheduleCheck) {
      this.scheduleCheck = setInterval(() => void this.restoreSchedules('missing'), checkEveryMs);
      this.scheduleCheck.unref();
    }
  }

  private async upsertScheduler(id: string, s: Scheduled): Promise<void> {
    await this.queue(s.name).upsertJobScheduler(id, { every: s.everyMs }, { name: s.name, data: s.payload });
  }

  /** Registers again the schedulers this process keeps; on a periodic check, only those Redis has lost. */
  async restoreSchedules(why: 'reconnected' | 'missing'): Promise<string[]> {
    const restored: string[] = [];
    for (const [id, s] of this.scheduled) {
      try {
        if (why === 'missing' && (await this.queue(s.name).getJobScheduler(id))) continue;
        await this.upsertScheduler(id, s);
        restored.push(id);
      } catch (error) {
        this.options.logger?.error(
          { scheduler: id, err: (error as Error).message },
          'scheduler not registered',
        );
      }
    }
    if (why === 'missing' && restored.length > 0)
      this.options.logger?.warn({ schedulers: restored }, 'schedulers missing from Redis registered again');
    return restored;
  }

  async counts(): Promise<Record<JobName, Record<string, number>>> {
    const out = {} as Record<JobName, Record<string, number>>;
    for (const name of JOB_NAMES) out[name] = await this.queue(name).getJobCounts();
    return out;
  }

  async close(): Promise<void> {
    if (this.scheduleCheck) clearInterval(this.scheduleCheck);
    this.scheduleCheck = null;
    this.connection.off('ready', this.onReady);
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
  }
}
