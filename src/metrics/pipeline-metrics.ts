/**
 * What the stages tell the process's metrics. Services and stages take this small interface (never the metrics
 * library), so the figures can be read by Prometheus, by a benchmark, or by nobody: `NO_METRICS` ignores them.
 */

/** The automatic stages a frame passes through. */
export type FrameStage = 'ingest' | 'detect' | 'rules';

/** Milliseconds a detection spent in each of its phases (see DetectTimings in the detector). */
export interface DetectPhases {
  decodeMs: number;
  packMs: number;
  queueMs: number;
  inferMs: number;
  postprocessMs: number;
  totalMs: number;
}

export type JobOutcome = 'completed' | 'failed';

/** How a delivery attempt ended: `retry` is a failed send that BullMQ will try again. */
export type DeliveryAttemptOutcome = 'sent' | 'delivered' | 'fallback' | 'skipped' | 'retry';

export interface PipelineMetrics {
  /** Frames a stage received (captured, taken from its queue, considered by the rules). */
  framesIn(stage: FrameStage, count?: number): void;
  /** Frames a stage passed on (stored and queued, detected, applied by the rules). */
  framesOut(stage: FrameStage, count?: number): void;
  /** Frames a stage let go, with a short, fixed reason (never an id or a message). */
  framesDropped(stage: FrameStage, reason: string, count?: number): void;
  /** A camera source reported an error (its stable code). */
  sourceError(code: string): void;
  /** One frame's detection, phase by phase. */
  detected(model: string, phases: DetectPhases): void;
  /** A job handler finished; `waitMs` is how long the job was ready before a worker took it (first try only). */
  jobDone(queue: string, outcome: JobOutcome, runMs: number, waitMs: number | null): void;
  /** A delivery attempt over one channel ended. */
  delivery(channel: string, outcome: DeliveryAttemptOutcome): void;
}

/** Review tasks waiting for a decision in one district, stage and status. */
export interface ReviewBacklogRow {
  districtId: string;
  stage: string;
  status: string;
  tasks: number;
  /** age of the oldest task of the group, in seconds */
  oldestSeconds: number;
}

const ignore = (): void => undefined;

export const NO_METRICS: PipelineMetrics = {
  framesIn: ignore,
  framesOut: ignore,
  framesDropped: ignore,
  sourceError: ignore,
  detected: ignore,
  jobDone: ignore,
  delivery: ignore,
};
