import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';

/**
 * Every automatic stage's job, declared once: the queue name and the payload type. Payloads carry ids, storage
 * keys and hashes, never image bytes. Each queue carries one kind of job, so the queue name is the job name.
 */
export interface JobPayloads {
  /** A stored frame waits for the detector. */
  detect: { frameId: number; cameraId: string; seq: number; storageKey: string; sha256: string };
  /** Detections of a frame wait for the rules (applied per camera in sequence order). */
  rules: { frameId: number; cameraId: string; seq: number };
  /** A confirmed violation needs its evidence package and review task. */
  evidence: { cameraId: string; dedupeKey: string };
  /**
   * Warn-first: act on the re-check once the grace period is over. `attempt` counts the looks again while the
   * rules are still deciding (the scene hidden); absent on the first. `deliveryWait` counts the looks again
   * while the warning has not yet reached the party, or its grace period counted from then has not ended.
   */
  recheck: { violationId: string; attempt?: number; deliveryWait?: number };
  /** Deliver a notice over one channel (retries with backoff; falls back to postal delivery). */
  deliver: { deliveryId: string };
  /** Periodic: move cases along their deadlines and flag those at risk. */
  'case-sweep': { at?: string };
  /** Periodic: delete frames that never became evidence once their retention has passed. */
  'frame-retention': { olderThanMinutes?: number };
  /** Periodic: the case-file review checks (not pursued, overdue, withdrawals and rejections). */
  'case-review': { at?: string };
  /** Periodic: evaluate the alert rules, open and resolve alerts, send their notices (src/alerts/). */
  'alert-sweep': { at?: string };
  /** Periodic: publish the decisions the credit rules mark, and send the platform what changed. */
  'credit-sweep': { at?: string };
  /** Periodic: send complaint outcomes waiting for the hotline or the reporter (retried, idempotent). */
  'complaint-reply': { at?: string };
  /** Periodic: last month's analysis report of every district that has none yet (src/stats/). */
  'stats-report': Record<string, never>;
  /** Periodic: recompute the statistics summary's marked days and months (src/stats/stats-summary.service.ts). */
  'stats-summary': Record<string, never>;
  /** A complaint's spot check: detect on its stored frame and judge it against the camera's zones (no violation). */
  'spot-check': { spotCheckId: string };
}

export type JobName = keyof JobPayloads;

export const JOB_NAMES = [
  'detect',
  'rules',
  'evidence',
  'recheck',
  'deliver',
  'case-sweep',
  'frame-retention',
  'case-review',
  'alert-sweep',
  'credit-sweep',
  'complaint-reply',
  'stats-report',
  'stats-summary',
  'spot-check',
] as const satisfies readonly JobName[];

// A compile-time check that JOB_NAMES lists every key of JobPayloads.
type Missing = Exclude<JobName, (typeof JOB_NAMES)[number]>;
const _allListed: Missing extends never ? true : never = true;
void _allListed;

/**
 * A job's id in Redis: the database's instance id, then the id its stage gives it (built from database serials
 * and keys, e.g. `frame-12`). Serials repeat in a fresh or restored database; the instance id does not.
 */
export function instanceJobId(instanceId: string, localId: string): string {
  return `${instanceId}.${localId}`;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The id each stage gives its jobs, one builder per kind. Ids are fixed: adding a job whose id already exists
 * adds nothing, so a retried stage or a sweep enqueuing again never runs the work twice. BullMQ refuses ':' in
 * a custom id, so keys that may hold one (dedupe keys) are hashed. The strings are what Redis holds: changing
 * one makes every job already queued under the old id look missing.
 */
export const jobIds = {
  /** A stored frame's detection. */
  detect: (frameId: number): string => `frame-${frameId}`,
  /** The rules run after a frame's detections were stored. */
  rules: (frameId: number): string => `rules-${frameId}`,
  /** A rules run to look again once the frame that holds the camera up is given up (one per time bucket). */
  rulesWait: (cameraId: string, seq: number, bucket: number): string =>
    `rules-wait-${cameraId}-${seq}-${bucket}`,
  /** A rules run for a camera whose detected frames lost their job in Redis (one per time bucket). */
  rulesSweep: (cameraId: string, bucket: number): string => `rules-sweep-${cameraId}-${bucket}`,
  /** A candidate's evidence job: packaging, the re-check's evidence, or a sweep's retry in a time bucket. */
  evidence: (dedupeKey: string, phase: 'package' | 'recheck' | `sweep-${number}` = 'package'): string => {
    const base = `evidence-${sha256Hex(dedupeKey).slice(0, 32)}`;
    return phase === 'package' ? base : `${base}-${phase}`;
  },
  /** Warn-first re-check of a violation; `attempt` counts the looks again (0: the first). */
  recheck: (violationId: string, attempt: number, deliveryWait = 0): string =>
    (attempt === 0 ? `recheck-${violationId}` : `recheck-${violationId}-${attempt}`) +
    (deliveryWait === 0 ? '' : `-d${deliveryWait}`),
  /** One delivery of a notice over one channel. */
  deliver: (deliveryId: string): string => `deliver-${deliveryId}`,
  /** A complaint's spot check (one job per check). */
  spotCheck: (spotCheckId: string): string => `spot-check-${spotCheckId}`,
  /** The scheduler of a periodic job (one per job name, shared by every process that registers it). */
  scheduler: (name: JobName): string => `${name}-every`,
} as const;

/**
 * Retries and retention of every job unless its stage says otherwise: five tries with exponential backoff from
 * one second; completed jobs kept an hour (at most 10 000), failed ones a week for inspection.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 3_600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3_600 },
} as const satisfies JobsOptions;

/** Retries of a `deliver` job: configured (DELIVERY_ATTEMPTS, DELIVERY_BACKOFF_MS), then the postal fallback. */
export interface DeliveryRetry {
  attempts: number;
  /** First retry delay; each later one doubles (BullMQ exponential backoff). */
  backoffMs: number;
}

export const deliveryRetry = (config: {
  deliveryAttempts: number;
  deliveryBackoffMs: number;
}): DeliveryRetry => ({
  attempts: config.deliveryAttempts,
  backoffMs: config.deliveryBackoffMs,
});

/**
 * Locks longer than the worker's default (JOB_LOCK_MS) for jobs that can run long: detection waits for its
 * inference behind the frames in hand, evidence renders large frames and writes them durably, the case sweep
 * renders PDFs. The lock is renewed while the handler runs; this bounds how long a dead process holds the job.
 */
export const JOB_LOCK_MS = {
  detect: 60_000,
  evidence: 120_000,
  'case-sweep': 120_000,
  'alert-sweep': 120_000,
  'stats-report': 300_000,
  'stats-summary': 120_000,
} as const satisfies Partial<Record<JobName, number>>;

/**
 * How often the monthly report job looks for districts without last month's report: every six hours, so the
 * reports are there on the first morning of the month, and a day missed (a worker down) is made up after.
 */
export const STATS_REPORT_CHECK_EVERY_MS = 6 * 3_600_000;

/**
 * How often the statistics summary is brought up to date: every minute, so a page read seldom finds more than a
 * minute's marks to handle itself (src/stats/stats-summary.service.ts).
 */
export const STATS_SUMMARY_EVERY_MS = 60_000;

/**
 * Retries of a `spot-check` job: a detector failing three times (a minute or so) marks the check failed with its
 * error, so staff see it and may take another; a waiting member of staff gains nothing from longer tries.
 */
export const SPOT_CHECK_RETRY = { attempts: 3, backoffMs: 2_000 } as const;
