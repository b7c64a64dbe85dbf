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
   * rules are still deciding (the scene hidden); absent on the first.
   */
  recheck: { violationId: string; attempt?: number };
  /** Deliver a notice over one channel (retries with backoff; falls back to postal delivery). */
  deliver: { deliveryId: string };
  /** Periodic: move cases along their deadlines and flag those at risk. */
  'case-sweep': { at?: string };
  /** Periodic: delete frames that never became evidence once their retention has passed. */
  'frame-retention': { olderThanMinutes?: number };
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
