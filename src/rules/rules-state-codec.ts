import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { CameraRulesState } from './engine.js';
import type { SceneModelState } from './scene-change.js';

/*
 * How a camera's rules state is stored: as the engine holds it, except the background model, which is packed.
 * Written as plain JSON, the model is six arrays of one entry per grid cell (64x36 = 2,304 each): about 50 KB
 * of text that the rules worker stringifies and parses, and Postgres parses, compresses and rewrites, on every
 * frame of every camera. Packed, the background becomes each cell's value in thousandths as a 32-bit integer,
 * split into byte planes (all lowest bytes, then the next...) so that the near-constant high bytes compress to
 * nothing, deflated and written in base64 (the short-term background likewise); the four per-cell memories (since
 * when a cell differs, from which frame, what it showed before, since when it holds still) keep only the cells that have one. `npm run bench:rules-state` measures both.
 *
 * Exact: every background value the model writes is rounded to a multiple of 1/1000, so value * 1000 is a
 * whole number and dividing it by 1000 again gives back the very same double. Plain rows of the current model
 * are read as they are; a model stored before it learnt from several frames (version 1) is read as none, and
 * the camera's model learns its background again from the next frames.
 */

export interface PackedScene {
  packed: 2;
  width: number;
  height: number;
  lastSeq: number;
  lastAt: number;
  learntAt: number | null;
  /** The learning samples while the model still learns (a few frames after a start), as the engine holds them. */
  learning: SceneModelState['learning'];
  /** Background in thousandths of a gray level: Int32 byte planes, lowest first, deflated (raw), base64. */
  background: string;
  /** The short-term background, packed the same way. */
  recent: string;
  /** [cell, changedSince, changedSinceSeq, prior, steadySince] for each cell with any of them set. */
  cells: [number, number | null, number | null, number | null, number | null][];
}

/** A background model stored before the model learnt from several frames: read as none, so it learns afresh. */
interface LegacyScene {
  version?: 1;
  packed?: 1;
}

export type StoredRulesState = Omit<CameraRulesState, 'scene'> & {
  scene: SceneModelState | PackedScene | LegacyScene | null;
};

export class RulesStateCodecError extends Error {
  override readonly name = 'RulesStateCodecError';
}

function packPlanes(values: readonly number[]): string {
  const n = values.length;
  const planes = Buffer.allocUnsafe(n * 4);
  for (let i = 0; i < n; i++) {
    const thousandths = Math.round(values[i]! * 1000);
    planes[i] = thousandths & 0xff;
    planes[n + i] = (thousandths >>> 8) & 0xff;
    planes[2 * n + i] = (thousandths >>> 16) & 0xff;
    planes[3 * n + i] = (thousandths >>> 24) & 0xff;
  }
  return deflateRawSync(planes).toString('base64');
}

function unpackPlanes(packed: string, n: number, what: string, size: string): number[] {
  let planes: Buffer;
  try {
    planes = inflateRawSync(Buffer.from(packed, 'base64'), { maxOutputLength: n * 4 + 1 });
  } catch (err) {
    throw new RulesStateCodecError(`packed ${what} does not inflate: ${(err as Error).message}`);
  }
  if (planes.length !== n * 4)
    throw new RulesStateCodecError(
      `packed ${what} has ${planes.length} bytes, expected ${n * 4} for ${size}`,
    );
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const thousandths =
      planes[i]! | (planes[n + i]! << 8) | (planes[2 * n + i]! << 16) | (planes[3 * n + i]! << 24);
    values[i] = thousandths / 1000;
  }
  return values;
}

export function packScene(scene: SceneModelState): PackedScene {
  const n = scene.width * scene.height;
  const cells: PackedScene['cells'] = [];
  for (let i = 0; i < n; i++) {
    const since = scene.changedSince[i] ?? null;
    const sinceSeq = scene.changedSinceSeq[i] ?? null;
    const prior = scene.prior[i] ?? null;
    const steady = scene.steadySince[i] ?? null;
    if (since !== null || sinceSeq !== null || prior !== null || steady !== null)
      cells.push([i, since, sinceSeq, prior, steady]);
  }
  return {
    packed: 2,
    width: scene.width,
    height: scene.height,
    lastSeq: scene.lastSeq,
    lastAt: scene.lastAt,
    learntAt: scene.learntAt,
    learning: scene.learning,
    background: packPlanes(scene.background),
    recent: packPlanes(scene.recent),
    cells,
  };
}

export function unpackScene(packed: PackedScene): SceneModelState {
  const n = packed.width * packed.height;
  const size = `${packed.width}x${packed.height}`;
  const background = unpackPlanes(packed.background, n, 'background', size);
  const recent = unpackPlanes(packed.recent, n, 'short-term background', size);
  const changedSince = new Array<number | null>(n).fill(null);
  const changedSinceSeq = new Array<number | null>(n).fill(null);
  const prior = new Array<number | null>(n).fill(null);
  const steadySince = new Array<number | null>(n).fill(null);
  for (const [i, since, sinceSeq, before, steady] of packed.cells) {
    if (!(Number.isInteger(i) && i >= 0 && i < n))
      throw new RulesStateCodecError(`packed cell ${i} lies outside ${size}`);
    changedSince[i] = since;
    changedSinceSeq[i] = sinceSeq;
    prior[i] = before;
    steadySince[i] = steady;
  }
  return {
    version: 2,
    width: packed.width,
    height: packed.height,
    lastSeq: packed.lastSeq,
    lastAt: packed.lastAt,
    learning: packed.learning,
    learntAt: packed.learntAt,
    background,
    recent,
    changedSince,
    changedSinceSeq,
    steadySince,
    prior,
  };
}

export function encodeRulesState(state: CameraRulesState): StoredRulesState {
  return { ...state, scene: state.scene ? packScene(state.scene) : null };
}

export function decodeRulesState(stored: StoredRulesState): CameraRulesState {
  const scene = stored.scene;
  if (scene === null) return stored as CameraRulesState;
  if ('packed' in scene && scene.packed === 2) return { ...stored, scene: unpackScene(scene as PackedScene) };
  if ('version' in scene && scene.version === 2) return stored as CameraRulesState;
  return { ...stored, scene: null };
}
