import type { SceneModelState, SceneRegion } from './scene-change.js';
import type { SceneChangeConfig } from '../zones/rules-config.schema.js';

/*
 * The spatial side of the scene change model (scene-change.ts): changed cells grouped into touching regions, ghost
 * regions recognised and healed into the background, and the regions of static change reported with their box,
 * size and the time they appeared.
 */

/** Quantile of a region's cells' start times taken as its appearance: early, yet not one stray cell. */
const SINCE_QUANTILE = 0.25;
/** How far (cells) the ghost test looks for unchanged surroundings along a row or column. */
const RING_REACH = 6;
/** Share of a region's cells inside a still-present object of the learnt scene for it to be that object moved. */
const KNOWN_SHARE = 0.75;

/** Gray levels are kept to a thousandth. */
export const round = (v: number) => Math.round(v * 1000) / 1000;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Groups cells that pass `member` and touch (including diagonally). */
function connectedGroups(width: number, height: number, member: (i: number) => boolean): number[][] {
  const seen = new Uint8Array(width * height);
  const groups: number[][] = [];
  for (let start = 0; start < width * height; start++) {
    if (seen[start] || !member(start)) continue;
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
          if (!seen[j] && member(j)) {
            seen[j] = 1;
            stack.push(j);
          }
        }
      }
    }
    groups.push(cells);
  }
  return groups;
}

/**
 * What a changed cell "should" show if it were like its surroundings: the mean of the nearest visible settled
 * cells left, right, above and below it (within RING_REACH), or null when fewer than two are near.
 */
function surroundingValue(
  state: SceneModelState,
  i: number,
  inRegion: Uint8Array,
  mask: Uint8Array,
  current: Float64Array,
): number | null {
  const { width, height } = state;
  const r = Math.floor(i / width);
  const c = i % width;
  let sum = 0;
  let count = 0;
  for (const [dr, dc] of [
    [0, 1],
    [0, -1],
    [1, 0],
    [-1, 0],
  ] as const) {
    for (let k = 1; k <= RING_REACH; k++) {
      const rr = r + dr * k;
      const cc = c + dc * k;
      if (rr < 0 || rr >= height || cc < 0 || cc >= width) break;
      const j = rr * width + cc;
      if (mask[j]) break;
      // Only the settled scene is surroundings: not other changes, nor cells holding an absorbed one.
      if (inRegion[j] || state.changedSince[j] !== null || state.prior[j] !== null) continue;
      sum += current[j]!;
      count++;
      break;
    }
  }
  return count >= 2 ? sum / count : null;
}

/**
 * Heals ghost regions in place and returns how many cells it healed. A region of changed cells is a ghost when
 * its current content is like its surroundings while the background there was not (what stood there when the
 * background was learnt has gone, or the learnt background was a little off there, as at the edges of a car that
 * stood while it was learnt), when it lies where a departed object of the learnt scene stood, or when it lies
 * within an object of the learnt scene that the detector still sees in its place (a bin or a bottle nudged).
 */
export function healGhosts(
  state: SceneModelState,
  mask: Uint8Array,
  current: Float64Array,
  learnt: { departed: Uint8Array; known: Uint8Array },
  config: SceneChangeConfig,
): number {
  const { width, height } = state;
  const changed = (i: number) => !mask[i] && state.changedSince[i] !== null;
  const inRegion = new Uint8Array(width * height);
  const like = config.diffThreshold * 0.5;
  const offThreshold = config.diffThreshold * 0.6;
  let healed = 0;
  for (const cells of connectedGroups(width, height, changed)) {
    for (const i of cells) inRegion[i] = 1;
    const underDeparted = cells.filter((i) => learnt.departed[i]).length / cells.length >= 0.5;
    const withinKnown = cells.filter((i) => learnt.known[i]).length / cells.length >= KNOWN_SHARE;
    let ghost = underDeparted || withinKnown;
    if (!ghost) {
      const nowOff: number[] = [];
      const wasOff: number[] = [];
      for (const i of cells) {
        const around = surroundingValue(state, i, inRegion, mask, current);
        if (around === null) continue;
        nowOff.push(Math.abs(current[i]! - around));
        wasOff.push(Math.abs(state.prior[i]! - around));
      }
      // Judged on the cells that have surroundings in reach, and only when most have.
      if (nowOff.length >= Math.max(1, cells.length * 0.5)) {
        const now = median(nowOff);
        const was = median(wasOff);
        // Ghost: the background there stood out from its surroundings (by as much as a changed cell differs) and
        // what shows now does not, or much less. A new object on flat ground stands out from the ground around it.
        ghost = was > Math.max(offThreshold, 2 * now) && now < Math.max(like, was / 3);
      }
    }
    for (const i of cells) inRegion[i] = 0;
    if (!ghost) continue;
    for (const i of cells) {
      state.background[i] = round(current[i]!);
      state.changedSince[i] = state.changedSinceSeq[i] = state.steadySince[i] = state.prior[i] = null;
    }
    healed += cells.length;
  }
  return healed;
}

/** Regions of at least `minCells` static changed cells, dated by their cells' start times. */
export function findRegions(
  state: SceneModelState,
  member: (i: number) => boolean,
  diff: (i: number) => number,
  minCells: number,
): SceneRegion[] {
  const { width } = state;
  const regions: SceneRegion[] = [];
  for (const cells of connectedGroups(state.width, state.height, member)) {
    if (cells.length < minCells) continue;
    const rows = cells.map((i) => Math.floor(i / width));
    const cols = cells.map((i) => i % width);
    const bySince = [...cells].sort((a, b) => state.changedSince[a]! - state.changedSince[b]!);
    const early = bySince[Math.floor((bySince.length - 1) * SINCE_QUANTILE)]!;
    regions.push({
      box: {
        x1: Math.min(...cols) / width,
        y1: Math.min(...rows) / state.height,
        x2: (Math.max(...cols) + 1) / width,
        y2: (Math.max(...rows) + 1) / state.height,
      },
      cells: cells.length,
      since: state.changedSince[early]!,
      sinceSeq: state.changedSinceSeq[early]!,
      meanDiff: cells.reduce((sum, i) => sum + diff(i), 0) / cells.length,
    });
  }
  return regions;
}
