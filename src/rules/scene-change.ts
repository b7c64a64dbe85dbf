import type { Box } from '../geometry/box.js';
import { DEFAULT_SCENE_CHANGE_CONFIG, type SceneChangeConfig } from '../zones/rules-config.schema.js';
import { findRegions, healGhosts, median, round } from './scene-regions.js';

/*
 * A per-camera background model over a small grayscale grid (e.g. 64x36, one byte per cell, made by an adapter
 * from each sampled frame), built for abandoned objects on sparse frames. It finds what the detector has no class
 * for: a bag, a pile of rubbish, a heap of building waste.
 *
 * - Learnt without ghosts: the first `learnFrames` frames only collect samples, leaving out cells under people
 *   and vehicles, and each cell's background is the median of what it showed; something that passes through
 *   while the model learns is not taken as the empty scene.
 * - Two backgrounds: the long-term one (`background`, the empty scene, following slow light changes) and a
 *   short-term one (`recent`, what each cell showed when last seen). A cell that differs from the long-term one
 *   and no longer from the short-term one holds something new that stays put: a static foreground, the mark of
 *   an abandoned object (a person walking by differs from both). Cells under a person are not judged but keep
 *   their history, so an object set down beside someone who stays by it is dated from when it was first seen,
 *   not from when he stepped away.
 * - Ghosts healed: a changed region whose current content matches its surroundings (the asphalt left by a car
 *   that stood there while the model learnt, a shelf where a bottle was), or which lies where a tracked object
 *   that was part of the learnt scene has just gone, is the background showing through: the background takes the
 *   current content there at once. And each changed cell remembers the background it had before the change, so
 *   when a pile is cleared the cell returns to it instead of reporting the removal.
 *
 * This file keeps the model and its update per frame; grouping cells into regions and healing ghosts are in
 * scene-regions.ts.
 */

export interface SceneGrid {
  width: number;
  height: number;
  /** Gray levels 0..255, row by row from the top-left cell. */
  data: ArrayLike<number>;
}

export interface SceneLearning {
  /** Frames collected so far. */
  frames: number;
  /** Per cell, the gray levels it showed on the frames where nothing hid it. */
  samples: number[][];
  /** Per cell, every gray level it showed, for cells that nothing ever left uncovered. */
  fallback: number[][];
}

export interface SceneModelState {
  version: 2;
  width: number;
  height: number;
  lastSeq: number;
  lastAt: number;
  /** Non-null while the initial background is still being learnt. */
  learning: SceneLearning | null;
  /** When the background was learnt (the last learning frame); objects seen before then belong to it. */
  learntAt: number | null;
  /** The long-term background: the empty scene. */
  background: number[];
  /** The short-term background: each cell as last seen, lighting shift removed. */
  recent: number[];
  /** When each cell started differing from the background, continuously; null when it does not. */
  changedSince: Array<number | null>;
  changedSinceSeq: Array<number | null>;
  /** Since when a changed cell has shown the same content (static); null when it does not differ. */
  steadySince: Array<number | null>;
  /** The background a cell had before its latest change, to recognise the scene returning to it. */
  prior: Array<number | null>;
}

export interface SceneRegion {
  /** Bounding box of the region's cells, normalised to the frame. */
  box: Box;
  cells: number;
  /** When the change appeared (an early quantile of its cells' start times), and the frame that showed it first. */
  since: number;
  sinceSeq: number;
  /** Mean gray-level difference from the background, lighting shift removed. */
  meanDiff: number;
}

export interface SceneChangeResult {
  state: SceneModelState;
  regions: SceneRegion[];
  /** True when the model (re)started from this frame: the first frame, a new grid size, or a whole-scene change. */
  reset: boolean;
  /** True while the background is still being learnt (no regions then). */
  learning: boolean;
  /** Cells whose change was recognised as a ghost on this frame and healed. */
  healed: number;
}

export interface SceneFrame {
  seq: number;
  capturedAt: number;
  grid: SceneGrid;
}

export interface SceneHints {
  /** People and vehicles (tracked ones too, while briefly missed): what lies under them is unknown. */
  exclude: readonly Box[];
  /** Last places of objects that were part of the learnt scene and have just gone: their cells are healed. */
  departed?: readonly Box[];
  /**
   * Objects of the learnt scene the detector still sees where they stood then (a bin, a utility box, a bottle on
   * a shelf): a change mostly within one is that object nudged or put back a little off, and is healed.
   */
  known?: readonly Box[];
}

/** Above this share of cells newly changed in one frame, the camera moved or the lights switched: start over. */
const WHOLE_SCENE_CHANGE = 0.25;

function emptyState(frame: SceneFrame): SceneModelState {
  const n = frame.grid.width * frame.grid.height;
  return {
    version: 2,
    width: frame.grid.width,
    height: frame.grid.height,
    lastSeq: frame.seq,
    lastAt: frame.capturedAt,
    learning: {
      frames: 0,
      samples: Array.from({ length: n }, () => []),
      fallback: Array.from({ length: n }, () => []),
    },
    learntAt: null,
    background: new Array<number>(n).fill(0),
    recent: new Array<number>(n).fill(0),
    changedSince: new Array<number | null>(n).fill(null),
    changedSinceSeq: new Array<number | null>(n).fill(null),
    steadySince: new Array<number | null>(n).fill(null),
    prior: new Array<number | null>(n).fill(null),
  };
}

function boxMask(width: number, height: number, boxes: readonly Box[], margin: number): Uint8Array {
  const mask = new Uint8Array(width * height);
  for (const b of boxes) {
    const c1 = Math.max(0, Math.floor((b.x1 - margin) * width));
    const c2 = Math.min(width - 1, Math.ceil((b.x2 + margin) * width) - 1);
    const r1 = Math.max(0, Math.floor((b.y1 - margin) * height));
    const r2 = Math.min(height - 1, Math.ceil((b.y2 + margin) * height) - 1);
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) mask[r * width + c] = 1;
  }
  return mask;
}

/**
 * The frame's global lighting offset: the median difference from the background over the visible cells. A
 * histogram in quarter gray levels gives it in one pass, which matters at a few frames a second per camera.
 */
function lightingShift(frame: ArrayLike<number>, background: readonly number[], mask: Uint8Array): number {
  const bins = new Uint32Array(255 * 8 + 1);
  let count = 0;
  for (let i = 0; i < background.length; i++) {
    if (mask[i]) continue;
    bins[Math.round((frame[i]! - background[i]!) * 4) + 255 * 4]!++;
    count++;
  }
  if (count === 0) return 0;
  const half = Math.floor(count / 2);
  for (let bin = 0, seen = 0; bin < bins.length; bin++) {
    seen += bins[bin]!;
    if (seen > half) return (bin - 255 * 4) / 4;
  }
  return 0;
}

function checkGrid(grid: SceneGrid, config: SceneChangeConfig): void {
  if (grid.width !== config.gridWidth || grid.height !== config.gridHeight) {
    throw new Error(
      `scene grid is ${grid.width}x${grid.height}, the config expects ${config.gridWidth}x${config.gridHeight}`,
    );
  }
  if (grid.data.length !== grid.width * grid.height) {
    throw new Error(
      `scene grid data has ${grid.data.length} cells, expected ${grid.width}x${grid.height} = ${grid.width * grid.height}`,
    );
  }
}

/** One learning frame: samples are collected; after the last one each cell's background is their median. */
function learn(
  state: SceneModelState,
  frame: SceneFrame,
  mask: Uint8Array,
  config: SceneChangeConfig,
): SceneChangeResult {
  const learning = state.learning!;
  const n = state.width * state.height;
  const samples = learning.samples.map((s) => [...s]);
  const fallback = learning.fallback.map((s) => [...s]);
  for (let i = 0; i < n; i++) {
    const v = Number(frame.grid.data[i]);
    if (!mask[i]) samples[i]!.push(v);
    fallback[i]!.push(v);
  }
  const frames = learning.frames + 1;
  const base = { ...state, lastSeq: frame.seq, lastAt: frame.capturedAt };
  if (frames < config.learnFrames) {
    return {
      state: { ...base, learning: { frames, samples, fallback } },
      regions: [],
      reset: frames === 1,
      learning: true,
      healed: 0,
    };
  }
  const background = samples.map((s, i) => round(median(s.length > 0 ? s : fallback[i]!)));
  return {
    state: {
      ...base,
      learning: null,
      learntAt: frame.capturedAt,
      background,
      recent: [...background],
      changedSince: new Array<number | null>(n).fill(null),
      changedSinceSeq: new Array<number | null>(n).fill(null),
      steadySince: new Array<number | null>(n).fill(null),
      prior: new Array<number | null>(n).fill(null),
    },
    regions: [],
    reset: frames === 1,
    learning: false,
    healed: 0,
  };
}

/**
 * Updates the model with one frame. A frame that is not newer than the last returns the same state and no
 * regions. `hints.exclude` are boxes of people and vehicles; `hints.departed` are places a tracked object of the
 * learnt scene has just left.
 */
export function applySceneFrame(
  state: SceneModelState | null,
  frame: SceneFrame,
  hints: SceneHints | readonly Box[],
  config: SceneChangeConfig = DEFAULT_SCENE_CHANGE_CONFIG,
): SceneChangeResult {
  checkGrid(frame.grid, config);
  const {
    exclude,
    departed = [],
    known = [],
  } = Array.isArray(hints) ? { exclude: hints as readonly Box[] } : (hints as SceneHints);
  if (state && (frame.seq <= state.lastSeq || frame.capturedAt < state.lastAt))
    return { state, regions: [], reset: false, learning: state.learning !== null, healed: 0 };
  const mask = boxMask(frame.grid.width, frame.grid.height, exclude, config.excludeMargin);
  if (
    !state ||
    state.version !== 2 ||
    state.width !== frame.grid.width ||
    state.height !== frame.grid.height
  ) {
    return learn(emptyState(frame), frame, mask, config);
  }
  if (state.learning) return learn(state, frame, mask, config);

  const { width, height } = state;
  const n = width * height;
  const f = frame.grid.data;
  const shift = lightingShift(f, state.background, mask);
  const at = frame.capturedAt;

  const dt = Math.max(0, at - state.lastAt) / 1000;
  const followRate = 1 - Math.exp(-dt / config.backgroundSeconds);
  const absorbRate = 1 - Math.exp(-dt / config.absorbSeconds);
  const releaseThreshold = config.diffThreshold * 0.6;

  const background = [...state.background];
  const recent = [...state.recent];
  const changedSince = [...state.changedSince];
  const changedSinceSeq = [...state.changedSinceSeq];
  const steadySince = [...state.steadySince];
  const prior = [...state.prior];
  const current = new Float64Array(n);
  let newlyChanged = 0;
  let visible = 0;

  for (let i = 0; i < n; i++) {
    // Under a person or vehicle the cell is unknown this frame: neither judged nor forgotten. If it shows the same
    // when it comes out again, it held still (a bag a passer-by stepped in front of).
    if (mask[i]) continue;
    visible++;
    const value = f[i]! - shift;
    current[i] = value;
    const d = Math.abs(value - background[i]!);
    const steadyNow = Math.abs(value - recent[i]!) < releaseThreshold;
    recent[i] = round(value);
    const remembered = prior[i];
    if (
      remembered !== null &&
      remembered !== undefined &&
      Math.abs(value - remembered) < releaseThreshold &&
      d >= releaseThreshold
    ) {
      // The scene went back to how it was before the change: restore it instead of reporting the removal.
      background[i] = round(value);
      changedSince[i] = changedSinceSeq[i] = steadySince[i] = prior[i] = null;
      continue;
    }
    const wasChanged = changedSince[i] !== null;
    const isChanged = d > (wasChanged ? releaseThreshold : config.diffThreshold);
    if (isChanged) {
      if (!wasChanged) {
        newlyChanged++;
        changedSince[i] = at;
        changedSinceSeq[i] = frame.seq;
        steadySince[i] = at;
        prior[i] = background[i]!;
      } else if (!steadyNow) {
        steadySince[i] = at;
      }
      background[i] = round(background[i]! + (value - background[i]!) * absorbRate);
    } else {
      changedSince[i] = changedSinceSeq[i] = steadySince[i] = null;
      background[i] = round(background[i]! + (value - background[i]!) * followRate);
      // Keep the memory only while the background still holds an absorbed change that may yet be cleared.
      if (
        remembered !== null &&
        remembered !== undefined &&
        Math.abs(background[i]! - remembered) < releaseThreshold
      )
        prior[i] = null;
    }
  }

  if (visible > 0 && newlyChanged / visible > WHOLE_SCENE_CHANGE) {
    return learn(emptyState(frame), frame, mask, config);
  }
  const next: SceneModelState = {
    ...state,
    lastSeq: frame.seq,
    lastAt: at,
    background,
    recent,
    changedSince,
    changedSinceSeq,
    steadySince,
    prior,
  };
  const healed = healGhosts(
    next,
    mask,
    current,
    { departed: boxMask(width, height, departed, 0), known: boxMask(width, height, known, 0) },
    config,
  );
  const isStatic = (i: number) => {
    const steady = next.steadySince[i];
    return (
      !mask[i] && steady !== null && steady !== undefined && at - steady >= config.minPersistSeconds * 1000
    );
  };
  const diff = (i: number) => Math.abs(current[i]! - next.background[i]!);
  return {
    state: next,
    regions: findRegions(next, isStatic, diff, config.minCells),
    reset: false,
    learning: false,
    healed,
  };
}
