import type { Box } from '../geometry/box.js';
import { DEFAULT_SCENE_CHANGE_CONFIG, type SceneChangeConfig } from '../zones/rules-config.schema.js';

/*
 * A per-camera background model over a small grayscale grid (e.g. 64x36, one byte per cell, made by an adapter
 * from each sampled frame). It finds what the detector has no class for: a pile of rubbish, a heap of building
 * waste. A cell is changed when it differs from the background by more than a threshold after the frame's global
 * lighting shift is taken out; a region is reported once its cells have stayed changed for a while. Cells under
 * people and vehicles (with a margin) are left out entirely, so neither a crowd nor a parked van is a pile.
 *
 * A lasting change is absorbed into the background only slowly, and each changed cell remembers the background
 * it had before the change. When the scene goes back to that (the pile is cleared), the cell returns to it at
 * once, so a removed pile does not leave a "ghost" that would itself look like a new change.
 */

export interface SceneGrid {
  width: number;
  height: number;
  /** Gray levels 0..255, row by row from the top-left cell. */
  data: ArrayLike<number>;
}

export interface SceneModelState {
  version: 1;
  width: number;
  height: number;
  lastSeq: number;
  lastAt: number;
  background: number[];
  /** When each cell started differing from the background, continuously; null when it does not. */
  changedSince: Array<number | null>;
  changedSinceSeq: Array<number | null>;
  /** The background a cell had before its latest change, to recognise the scene returning to it. */
  prior: Array<number | null>;
}

export interface SceneRegion {
  /** Bounding box of the region's cells, normalised to the frame. */
  box: Box;
  cells: number;
  /** Median time its cells started differing, and the frame that was (a frame showing the change). */
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
}

export interface SceneFrame {
  seq: number;
  capturedAt: number;
  grid: SceneGrid;
}

/** Above this share of cells newly changed in one frame, the camera moved or the lights switched: start over. */
const WHOLE_SCENE_CHANGE = 0.25;
const round = (v: number) => Math.round(v * 1000) / 1000;

function initialState(frame: SceneFrame): SceneModelState {
  const n = frame.grid.width * frame.grid.height;
  return {
    version: 1,
    width: frame.grid.width,
    height: frame.grid.height,
    lastSeq: frame.seq,
    lastAt: frame.capturedAt,
    background: Array.from(frame.grid.data, Number),
    changedSince: new Array<number | null>(n).fill(null),
    changedSinceSeq: new Array<number | null>(n).fill(null),
    prior: new Array<number | null>(n).fill(null),
  };
}

function exclusionMask(width: number, height: number, boxes: readonly Box[], margin: number): Uint8Array {
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

/**
 * Updates the model with one frame; `exclude` are boxes of people and vehicles (tracked ones too, while briefly
 * missed). A frame that is not newer than the last returns the same state and no regions.
 */
export function applySceneFrame(
  state: SceneModelState | null,
  frame: SceneFrame,
  exclude: readonly Box[],
  config: SceneChangeConfig = DEFAULT_SCENE_CHANGE_CONFIG,
): SceneChangeResult {
  checkGrid(frame.grid, config);
  if (state && (frame.seq <= state.lastSeq || frame.capturedAt < state.lastAt))
    return { state, regions: [], reset: false };
  if (!state || state.width !== frame.grid.width || state.height !== frame.grid.height) {
    return { state: initialState(frame), regions: [], reset: true };
  }

  const { width, height } = state;
  const n = width * height;
  const f = frame.grid.data;
  const mask = exclusionMask(width, height, exclude, config.excludeMargin);
  const shift = lightingShift(f, state.background, mask);

  const dt = Math.max(0, frame.capturedAt - state.lastAt) / 1000;
  const followRate = 1 - Math.exp(-dt / config.backgroundSeconds);
  const absorbRate = 1 - Math.exp(-dt / config.absorbSeconds);
  const releaseThreshold = config.diffThreshold * 0.6;

  const background = [...state.background];
  const changedSince = [...state.changedSince];
  const changedSinceSeq = [...state.changedSinceSeq];
  const prior = [...state.prior];
  const diff = new Float64Array(n);
  let newlyChanged = 0;
  let visible = 0;

  for (let i = 0; i < n; i++) {
    if (mask[i]) {
      // Whatever is under a person or vehicle is unknown this frame: forget the cell's change rather than guess.
      changedSince[i] = null;
      changedSinceSeq[i] = null;
      continue;
    }
    visible++;
    const value = f[i]! - shift;
    const d = Math.abs(value - background[i]!);
    const remembered = prior[i];
    if (
      remembered !== null &&
      remembered !== undefined &&
      Math.abs(value - remembered) < releaseThreshold &&
      d >= releaseThreshold
    ) {
      // The scene went back to how it was before the change: restore it instead of reporting the removal.
      background[i] = value;
      changedSince[i] = null;
      changedSinceSeq[i] = null;
      prior[i] = null;
      continue;
    }
    const wasChanged = changedSince[i] !== null;
    const isChanged = d > (wasChanged ? releaseThreshold : config.diffThreshold);
    diff[i] = d;
    if (isChanged) {
      if (!wasChanged) {
        newlyChanged++;
        changedSince[i] = frame.capturedAt;
        changedSinceSeq[i] = frame.seq;
        prior[i] = background[i]!;
      }
      background[i] = round(background[i]! + (value - background[i]!) * absorbRate);
    } else {
      changedSince[i] = null;
      changedSinceSeq[i] = null;
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
    return { state: initialState(frame), regions: [], reset: true };
  }
  const next: SceneModelState = {
    ...state,
    lastSeq: frame.seq,
    lastAt: frame.capturedAt,
    background,
    changedSince,
    changedSinceSeq,
    prior,
  };
  const persistent = (i: number) => {
    const since = changedSince[i];
    return (
      since !== null && since !== undefined && frame.capturedAt - since >= config.minPersistSeconds * 1000
    );
  };
  return { state: next, regions: findRegions(next, persistent, diff, config.minCells), reset: false };
}

/** Groups persistent cells that touch (including diagonally) into regions of at least `minCells`. */
function findRegions(
  state: SceneModelState,
  persistent: (i: number) => boolean,
  diff: Float64Array,
  minCells: number,
): SceneRegion[] {
  const { width, height } = state;
  const seen = new Uint8Array(width * height);
  const regions: SceneRegion[] = [];
  for (let start = 0; start < width * height; start++) {
    if (seen[start] || !persistent(start)) continue;
    const cells: number[] = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length > 0) {
      const i = stack.pop()!;
      cells.push(i);
      const r = Math.floor(i / width);
      const c = i % width;
      for (let dr = -1; dr <= 1; dr++) {
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr < 0 || rr >= height || cc < 0 || cc >= width) continue;
          const j = rr * width + cc;
          if (!seen[j] && persistent(j)) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    if (cells.length < minCells) continue;
    const rows = cells.map((i) => Math.floor(i / width));
    const cols = cells.map((i) => i % width);
    const bySince = [...cells].sort((a, b) => state.changedSince[a]! - state.changedSince[b]!);
    const middle = bySince[Math.floor(bySince.length / 2)]!;
    regions.push({
      box: {
        x1: Math.min(...cols) / width,
        y1: Math.min(...rows) / height,
        x2: (Math.max(...cols) + 1) / width,
        y2: (Math.max(...rows) + 1) / height,
      },
      cells: cells.length,
      since: state.changedSince[middle]!,
      sinceSeq: state.changedSinceSeq[middle]!,
      meanDiff: cells.reduce((sum, i) => sum + diff[i]!, 0) / cells.length,
    });
  }
  return regions;
}
