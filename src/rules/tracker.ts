import { munkres } from 'munkres';
import type { Detection, DetectionRole } from '../detect/detection.js';
import { blendBoxes, boxArea, boxCentre, iou, isWellFormedBox, type Box } from '../geometry/box.js';
import { distance, toFrameHeights } from '../geometry/point.js';
import { DEFAULT_TRACKER_CONFIG, type TrackerConfig } from '../zones/rules-config.schema.js';

/*
 * A tracker for sparse frames (seconds apart). Static things are what the rules care about, so a track keeps its
 * identity through long misses once it has stayed in place (a stall hidden by a crowd), while moving things
 * expire quickly. Detections only continue tracks of the same role family, so a person walking past a stall can
 * never take over the stall's track. The state is plain JSON so the worker can store it per camera.
 */

export type RoleFamily = 'person' | 'vehicle' | 'object';

export function roleFamily(role: DetectionRole): RoleFamily {
  return role === 'person' || role === 'vehicle' ? role : 'object';
}

export interface Track {
  id: string;
  role: DetectionRole;
  label: string;
  /** Score of the latest matched detection. */
  score: number;
  /** Box smoothed over the matched detections. */
  box: Box;
  /** The latest matched detection's box as detected. */
  lastBox: Box;
  firstSeenAt: number;
  firstSeenSeq: number;
  lastSeenAt: number;
  lastSeenSeq: number;
  /** Frames in which a detection was matched to this track. */
  hits: number;
  /** Frames in a row without a matching detection. */
  misses: number;
  /** Where the object has stayed since `anchorSince`; a larger move re-anchors it. */
  anchorBox: Box;
  anchorSince: number;
  anchorSinceSeq: number;
  /** Stayed within a small shift of its anchor for at least the stationary time. */
  stationary: boolean;
  /** Accumulated score per label, so one odd frame does not relabel a track. */
  labelVotes: Record<string, { role: DetectionRole; weight: number }>;
}

export interface TrackerState {
  version: 1;
  /** Sequence number and capture time of the last applied frame; null before the first. */
  lastSeq: number | null;
  lastAt: number | null;
  /** The first frame applied: objects present then were already there when watching began. */
  startedSeq: number | null;
  startedAt: number | null;
  nextId: number;
  tracks: Track[];
}

export interface TrackerFrame {
  seq: number;
  /** Capture time, epoch milliseconds. */
  capturedAt: number;
  detections: readonly Detection[];
}

export interface TrackerOptions {
  config?: TrackerConfig;
  /** Frame width over height, to measure shifts in the same units along both axes. */
  frameAspect?: number;
}

export function createTrackerState(): TrackerState {
  return {
    version: 1,
    lastSeq: null,
    lastAt: null,
    startedSeq: null,
    startedAt: null,
    nextId: 1,
    tracks: [],
  };
}

/** Whether the frame comes after everything applied so far; late, repeated or back-dated frames do not. */
export function isNewerFrame(state: TrackerState, frame: Pick<TrackerFrame, 'seq' | 'capturedAt'>): boolean {
  if (state.lastSeq !== null && frame.seq <= state.lastSeq) return false;
  if (state.lastAt !== null && frame.capturedAt < state.lastAt) return false;
  return true;
}

/** Side length of a box's square equivalent, in frame heights. */
function boxSize(b: Box, aspect: number): number {
  return Math.sqrt(boxArea(b) * aspect);
}

function centreShift(from: Box, to: Box, aspect: number): number {
  const size = (boxSize(from, aspect) + boxSize(to, aspect)) / 2;
  const d = distance(toFrameHeights(boxCentre(from), aspect), toFrameHeights(boxCentre(to), aspect));
  return size === 0 ? (d === 0 ? 0 : Infinity) : d / size;
}

const NO_MATCH = 1e6;

function matchCost(track: Track, detection: Detection, config: TrackerConfig, aspect: number): number {
  if (roleFamily(track.role) !== roleFamily(detection.role)) return NO_MATCH;
  const a = boxArea(track.box);
  const b = boxArea(detection.box);
  if (a > 0 && b > 0 && Math.max(a / b, b / a) > config.maxAreaRatio) return NO_MATCH;
  const overlap = iou(track.box, detection.box);
  const shift = centreShift(track.box, detection.box, aspect);
  if (overlap < config.minIou && shift > config.maxCentreShift) return NO_MATCH;
  return 1 - overlap + Math.min(shift, 2);
}

function newTrack(id: number, d: Detection, frame: TrackerFrame): Track {
  return {
    id: `t${id}`,
    role: d.role,
    label: d.label,
    score: d.score,
    box: { ...d.box },
    lastBox: { ...d.box },
    firstSeenAt: frame.capturedAt,
    firstSeenSeq: frame.seq,
    lastSeenAt: frame.capturedAt,
    lastSeenSeq: frame.seq,
    hits: 1,
    misses: 0,
    anchorBox: { ...d.box },
    anchorSince: frame.capturedAt,
    anchorSinceSeq: frame.seq,
    stationary: false,
    labelVotes: Object.fromEntries([[d.label, { role: d.role, weight: d.score }]]),
  };
}

function continueTrack(
  t: Track,
  d: Detection,
  frame: TrackerFrame,
  config: TrackerConfig,
  aspect: number,
): Track {
  // A Map, not property writes: a label is model output and must not be able to reach Object.prototype.
  const votes = new Map(Object.entries(t.labelVotes));
  votes.set(d.label, { role: d.role, weight: (votes.get(d.label)?.weight ?? 0) + d.score });
  const [label, vote] = [...votes].reduce((best, entry) => (entry[1].weight > best[1].weight ? entry : best));
  const moved =
    centreShift(t.anchorBox, d.box, aspect) > config.stationaryShift || iou(t.anchorBox, d.box) < 0.3;
  const anchorBox = moved ? { ...d.box } : t.anchorBox;
  const anchorSince = moved ? frame.capturedAt : t.anchorSince;
  return {
    ...t,
    role: vote.role,
    label,
    score: d.score,
    box: blendBoxes(t.box, d.box, config.smoothing),
    lastBox: { ...d.box },
    lastSeenAt: frame.capturedAt,
    lastSeenSeq: frame.seq,
    hits: t.hits + 1,
    misses: 0,
    anchorBox,
    anchorSince,
    anchorSinceSeq: moved ? frame.seq : t.anchorSinceSeq,
    stationary: frame.capturedAt - anchorSince >= config.stationarySeconds * 1000,
    labelVotes: Object.fromEntries(votes),
  };
}

/**
 * Things that stay put keep their track through long misses. People do not: someone who stood still and then
 * walked off would otherwise leave a track behind that the next passer-by on that spot inherits, age and all,
 * and would seem to have been standing there for minutes.
 */
function survivesMiss(t: Track, now: number, config: TrackerConfig): boolean {
  const keepsLong = t.stationary && roleFamily(t.role) !== 'person';
  const limit = keepsLong ? config.maxMissSecondsStationary : config.maxMissSecondsMoving;
  return now - t.lastSeenAt <= limit * 1000;
}

/**
 * Applies one frame and returns the new state; the given state is not changed. A frame that is not newer than
 * the last applied one (by sequence, or captured earlier) returns the very same state object, so callers can
 * tell with `===` that it changed nothing.
 */
export function applyFrame(
  state: TrackerState,
  frame: TrackerFrame,
  options: TrackerOptions = {},
): TrackerState {
  if (state.version !== 1)
    throw new Error(`tracker state version ${String(state.version)} is not supported (expected 1)`);
  if (!isNewerFrame(state, frame)) return state;
  if (!Number.isFinite(frame.capturedAt))
    throw new Error(`frame ${frame.seq} has no valid capture time: ${frame.capturedAt}`);
  const config = options.config ?? DEFAULT_TRACKER_CONFIG;
  const aspect = options.frameAspect ?? 16 / 9;
  const detections = frame.detections.filter((d) => d.score >= config.minScore && isWellFormedBox(d.box));

  const matchedTrack = new Map<number, number>();
  if (state.tracks.length > 0 && detections.length > 0) {
    const costs = state.tracks.map((t) => detections.map((d) => matchCost(t, d, config, aspect)));
    for (const [ti, di] of munkres(costs)) {
      if (costs[ti]![di]! < NO_MATCH) matchedTrack.set(ti, di);
    }
  }

  const tracks: Track[] = [];
  const usedDetections = new Set<number>();
  state.tracks.forEach((t, ti) => {
    const di = matchedTrack.get(ti);
    if (di !== undefined) {
      usedDetections.add(di);
      tracks.push(continueTrack(t, detections[di]!, frame, config, aspect));
    } else if (survivesMiss(t, frame.capturedAt, config)) {
      tracks.push({ ...t, misses: t.misses + 1 });
    }
  });
  let nextId = state.nextId;
  detections.forEach((d, di) => {
    if (!usedDetections.has(di)) tracks.push(newTrack(nextId++, d, frame));
  });

  return {
    version: 1,
    lastSeq: frame.seq,
    lastAt: frame.capturedAt,
    startedSeq: state.startedSeq ?? frame.seq,
    startedAt: state.startedAt ?? frame.capturedAt,
    nextId,
    tracks,
  };
}

/** Tracks matched to a detection in the frame with this sequence number. */
export function tracksSeenIn(state: TrackerState, seq: number): Track[] {
  return state.tracks.filter((t) => t.lastSeenSeq === seq);
}
