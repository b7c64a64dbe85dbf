import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CameraRulesState } from './engine.js';
import type { SceneModelState } from './scene-change.js';

/*
 * How a camera's rules state is stored: as the engine holds it, except the background model, which is packed.
 * Written as plain JSON, the model is four arrays of one entry per grid cell (64x36 = 2,304 each): about 50 KB
 * of text that the rules worker stringifies and parses, and Postgres parses, compresses and rewrites, on every
 * frame of every camera. Packed, the background becomes each cell's value in thousandths as a 32-bit integer,
 * split into byte planes (all lowest bytes, then the next...) so that the near-constant high bytes compress to
 * nothing, deflated and written in base64; the three per-cell memories (since when a cell differs, from which
 * frame, what it showed before) keep only the cells that have one. `npm run bench:rules-state` measures both.
 *
 * Exact: every background value the model writes is a multiple of 1/1000 (rounded on update) or of 1/4 (a
 * restored cell: a gray level less the quarter-level lighting shift), so value * 1000 is a whole number and
 * dividing it by 1000 again gives back the very same double. Rows written before packing (plain arrays) are
 * read as they are.
 */

export interface PackedScene {
  packed: 1;
  width: number;
  height: number;
  lastSeq: number;
  lastAt: number;
  /** Background in thousandths of a gray level: Int32 byte planes, lowest first, deflated (raw), base64. */
  background: string;
  /** [cell, changedSince, changedSinceSeq, prior] for each cell with any of the three set. */
  cells: [number, number | null, number | null, number | null][];
}

export type StoredRulesState = Omit<CameraRulesState, 'scene'> & {
  scene: SceneModelState | PackedScene | null;
};

export class RulesStateCodecError extends Error {
  override readonly name = 'RulesStateCodecError';
}

export function packScene(scene: SceneModelState): PackedScene {
  const n = scene.width * scene.height;
  const planes = Buffer.allocUnsafe(n * 4);
  const cells: PackedScene['cells'] = [];
  for (let i = 0; i < n; i++) {
    const thousandths = Math.round(scene.background[i]! * 1000);
    planes[i] = thousandths & 0xff;
    planes[n + i] = (thousandths >>> 8) & 0xff;
    planes[2 * n + i] = (thousandths >>> 16) & 0xff;
    planes[3 * n + i] = (thousandths >>> 24) & 0xff;
    const since = scene.changedSince[i] ?? null;
    const sinceSeq = scene.changedSinceSeq[i] ?? null;
    const prior = scene.prior[i] ?? null;
    if (since !== null || sinceSeq !== null || prior !== null) cells.push([i, since, sinceSeq, prior]);
  }
  return {
    packed: 1,
    width: scene.width,
    height: scene.height,
    lastSeq: scene.lastSeq,
    lastAt: scene.lastAt,
    background: deflateRawSync(planes).toString('base64'),
    cells,
  };
}

export function unpackScene(packed: PackedScene): SceneModelState {
  const n = packed.width * packed.height;
  let planes: Buffer;
  try {
    planes = inflateRawSync(Buffer.from(packed.background, 'base64'), { maxOutputLength: n * 4 + 1 });
  } catch (err) {
    throw new RulesStateCodecError(`packed background does not inflate: ${(err as Error).message}`);
  }
  if (planes.length !== n * 4) {
    throw new RulesStateCodecError(
      `packed background has ${planes.length} bytes, expected ${n * 4} for ${packed.width}x${packed.height}`,
    );
  }
  const background = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const thousandths =
      planes[i]! | (planes[n + i]! << 8) | (planes[2 * n + i]! << 16) | (planes[3 * n + i]! << 24);
    background[i] = thousandths / 1000;
  }
  const changedSince = new Array<number | null>(n).fill(null);
  const changedSinceSeq = new Array<number | null>(n).fill(null);
  const prior = new Array<number | null>(n).fill(null);
  for (const [i, since, sinceSeq, before] of packed.cells) {
    if (!(Number.isInteger(i) && i >= 0 && i < n))
      throw new RulesStateCodecError(`packed cell ${i} lies outside ${packed.width}x${packed.height}`);
    changedSince[i] = since;
    changedSinceSeq[i] = sinceSeq;
    prior[i] = before;
  }
  return {
    version: 1,
    width: packed.width,
    height: packed.height,
    lastSeq: packed.lastSeq,
    lastAt: packed.lastAt,
    background,
    changedSince,
    changedSinceSeq,
    prior,
  };
}

export function encodeRulesState(state: CameraRulesState): StoredRulesState {
  return { ...state, scene: state.scene ? packScene(state.scene) : null };
}

export function decodeRulesState(stored: StoredRulesState): CameraRulesState {
  const scene = stored.scene;
  if (scene && 'packed' in scene) return { ...stored, scene: unpackScene(scene) };
  return stored as CameraRulesState;
}
