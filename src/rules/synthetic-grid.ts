import type { Box } from '../geometry/box.js';
import type { SceneGrid } from './scene-change.js';

/*
 * Synthetic grayscale grids for the scenario fixtures and tests: a fixed street texture per camera, sensor noise
 * per frame, a global lighting offset, and patches painted where objects stand. Deterministic for a given seed,
 * so a scenario replays identically everywhere.
 */

/** Small, fast, seedable PRNG (mulberry32); returns values in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GridPatch {
  box: Box;
  /** Gray level the patch has (0..255). */
  level: number;
}

export interface SyntheticGridSpec {
  width: number;
  height: number;
  /** Seed of the camera's fixed street texture. */
  textureSeed: number;
  /** Seed of this frame's noise. */
  noiseSeed: number;
  /** Largest noise added to each cell, in gray levels. */
  noise: number;
  /** Global lighting offset of this frame, in gray levels. */
  lighting: number;
  patches: readonly GridPatch[];
}

export function syntheticGrid(spec: SyntheticGridSpec): SceneGrid {
  const texture = seededRandom(spec.textureSeed);
  const noise = seededRandom(spec.noiseSeed);
  const data = new Uint8Array(spec.width * spec.height);
  for (let i = 0; i < data.length; i++) {
    // Pavement between 90 and 150, with noise in both directions.
    const base = 90 + texture() * 60;
    data[i] = clampByte(base + spec.lighting + (noise() * 2 - 1) * spec.noise);
  }
  for (const patch of spec.patches) {
    const c1 = Math.max(0, Math.floor(patch.box.x1 * spec.width));
    const c2 = Math.min(spec.width, Math.ceil(patch.box.x2 * spec.width));
    const r1 = Math.max(0, Math.floor(patch.box.y1 * spec.height));
    const r2 = Math.min(spec.height, Math.ceil(patch.box.y2 * spec.height));
    for (let r = r1; r < r2; r++) {
      for (let c = c1; c < c2; c++)
        data[r * spec.width + c] = clampByte(patch.level + spec.lighting + (noise() * 2 - 1) * spec.noise);
    }
  }
  return { width: spec.width, height: spec.height, data };
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)));
}
