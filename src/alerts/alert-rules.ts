import type { CameraStatus } from '../cameras/camera-status.js';

/**
 * The alert rules as pure functions: each takes what was measured and its thresholds and says whether the
 * condition holds (`raise`) or has cleared (`clear`). Between the two (a hysteresis band, or a camera outside its
 * schedule) an open alert is kept as it is and none is opened. `decide` turns a verdict and whether an alert is
 * already unresolved into the one action the evaluation takes. docs/statistics.md ("告警 Alerts") explains each.
 */

export type AlertSeverityLevel = 'info' | 'warning' | 'critical';

export interface Verdict {
  /** the condition holds: open an alert if none is unresolved */
  raise: boolean;
  /** the condition is clear: resolve the unresolved alert */
  clear: boolean;
  severity: AlertSeverityLevel;
  /** the figures behind the verdict, kept with the alert and shown on its page */
  detail: Record<string, string | number | boolean | null>;
}

export type AlertAction = 'raise' | 'keep' | 'resolve' | 'none';

export function decide(unresolved: boolean, verdict: Pick<Verdict, 'raise' | 'clear'>): AlertAction {
  if (unresolved) return verdict.clear ? 'resolve' : 'keep';
  return verdict.raise ? 'raise' : 'none';
}

// --- camera_offline ------------------------------------------------------------------------------------------

export interface CameraOfflineInput {
  /** the status the camera pages show (camera-status.ts) */
  status: CameraStatus;
  lastFrameAt: Date | null;
  /** when the camera was registered: the start of the outage of a camera that never sent a frame */
  createdAt: Date;
  /** whether the camera's schedule has it sampled now; outside it no frame is expected */
  scheduled: boolean;
  now: Date;
}

export function cameraOffline(
  input: CameraOfflineInput,
  t: { cameraOfflineS: number; cameraCriticalS: number },
): Verdict {
  const since = input.lastFrameAt ?? input.createdAt;
  const downS = Math.max(0, Math.round((input.now.getTime() - since.getTime()) / 1000));
  const down = input.status === 'offline' || input.status === 'failing';
  const detail = {
    status: input.status,
    lastFrameAt: input.lastFrameAt?.toISOString() ?? null,
    downS,
    thresholdS: t.cameraOfflineS,
  };
  return {
    raise: input.scheduled && down && downS >= t.cameraOfflineS,
    // back when frames come in again; `stale` (late but arriving) neither raises nor clears
    clear: input.status === 'online',
    severity: downS >= t.cameraCriticalS ? 'critical' : 'warning',
    detail,
  };
}

// --- false_positive_rate --------------------------------------------------------------------------------------

export interface FalsePositiveInput {
  /** review decisions on the camera's violations in the window */
  reviewed: number;
  /** of them, rejected as a false detection or not a violation */
  rejected: number;
}

export function falsePositiveRate(
  input: FalsePositiveInput,
  t: { fpRate: number; fpResolveRate: number; fpMinReviewed: number; fpWindowH: number },
): Verdict {
  const rate = input.reviewed > 0 ? input.rejected / input.reviewed : 0;
  const counted = input.reviewed >= t.fpMinReviewed;
  return {
    raise: counted && rate >= t.fpRate,
    // too few decisions to judge also clears: the rate no longer says anything
    clear: !counted || rate < t.fpResolveRate,
    severity: 'warning',
    detail: {
      reviewed: input.reviewed,
      rejected: input.rejected,
      rate: round(rate, 3),
      threshold: t.fpRate,
      windowH: t.fpWindowH,
    },
  };
}

// --- review_backlog -------------------------------------------------------------------------------------------

export interface BacklogInput {
  /** review tasks of the district waiting (open or claimed) longer than the limit */
  overdue: number;
  /** the oldest waiting task's creation, if any waits */
  oldestAt: Date | null;
  now: Date;
}

export function reviewBacklog(input: BacklogInput, t: { backlogH: number }): Verdict {
  const oldestH = input.oldestAt ? (input.now.getTime() - input.oldestAt.getTime()) / 3_600_000 : 0;
  return {
    raise: input.overdue > 0,
    clear: input.overdue === 0,
    severity: oldestH >= 2 * t.backlogH ? 'critical' : 'warning',
    detail: { overdue: input.overdue, oldestH: round(oldestH, 1), limitH: t.backlogH },
  };
}

// --- queue_stalled --------------------------------------------------------------------------------------------

export interface QueueInput {
  /** jobs ready to run (waiting or prioritised; delayed ones are not due) */
  waiting: number;
  /** when the oldest of them was added */
  oldestWaitingAt: Date | null;
  /** when the last job of the queue completed, as far as Redis still keeps completed jobs */
  lastCompletedAt: Date | null;
  now: Date;
}

export function queueStalled(input: QueueInput, t: { queueStallS: number }): Verdict {
  const limit = input.now.getTime() - t.queueStallS * 1000;
  const completedRecently = input.lastCompletedAt !== null && input.lastCompletedAt.getTime() > limit;
  const waitingLong = input.oldestWaitingAt !== null && input.oldestWaitingAt.getTime() <= limit;
  return {
    raise: input.waiting > 0 && waitingLong && !completedRecently,
    clear: input.waiting === 0 || completedRecently,
    severity: 'critical',
    detail: {
      waiting: input.waiting,
      oldestWaitingAt: input.oldestWaitingAt?.toISOString() ?? null,
      lastCompletedAt: input.lastCompletedAt?.toISOString() ?? null,
      stallS: t.queueStallS,
    },
  };
}

// --- detector_failing -----------------------------------------------------------------------------------------

export interface DetectorInput {
  /** detect jobs (or frames) that failed in the window */
  failed: number;
  /** detect jobs completed in the window */
  completed: number;
  /** detections stored in the window */
  detections: number;
  /** frames still queued for detection after the wait limit */
  framesWaiting: number;
}

export function detectorFailing(
  input: DetectorInput,
  t: { detectorFailRate: number; detectorMinJobs: number; detectorWindowS: number; detectorWaitS: number },
): Verdict {
  const tried = input.failed + input.completed;
  const rate = tried > 0 ? input.failed / tried : 0;
  const failing = tried >= t.detectorMinJobs && rate >= t.detectorFailRate;
  const starving = input.framesWaiting > 0 && input.detections === 0;
  return {
    raise: failing || starving,
    clear: !failing && !starving,
    severity: 'critical',
    detail: {
      failed: input.failed,
      completed: input.completed,
      failRate: round(rate, 3),
      detections: input.detections,
      framesWaiting: input.framesWaiting,
      windowS: t.detectorWindowS,
      threshold: t.detectorFailRate,
    },
  };
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
