import { describe, expect, it } from 'vitest';
import { computeLetterbox } from './letterbox.js';
import { parseModelManifest } from './model-manifest.js';
import { channelTransform, packLetterboxed } from './tensor-pack.js';
import { readFileSync } from 'node:fs';

const shipped = JSON.parse(
  readFileSync(new URL('../../models/yolox-nano.manifest.json', import.meta.url), 'utf8'),
);
const yolox = parseModelManifest(shipped, 'yolox-nano').input;

// A 2x1 image: a red pixel then a blue one.
const rgb = new Uint8Array([255, 0, 0, 0, 0, 255]);

function plane(t: Float32Array, k: number, w: number, h: number): number[][] {
  return Array.from({ length: h }, (_, y) =>
    Array.from(t.subarray(k * w * h + y * w, k * w * h + (y + 1) * w)),
  );
}

describe('packLetterboxed', () => {
  it('writes BGR planes, unscaled, padded right and below with 114 (YOLOX)', () => {
    const lb = computeLetterbox(2, 1, 4, 4, 'top-left');
    expect(lb).toMatchObject({ resizedWidth: 4, resizedHeight: 2 });
    // The caller resizes the image to 4x2 first; here each pixel is simply doubled.
    const resized = new Uint8Array([...[255, 0, 0], ...[255, 0, 0], ...[0, 0, 255], ...[0, 0, 255]]);
    const rows = new Uint8Array([...resized, ...resized]);
    const t = new Float32Array(3 * 16).fill(NaN);
    packLetterboxed(rows, lb, channelTransform(yolox), t);
    const p = 114;
    expect(plane(t, 0, 4, 4)).toEqual([
      [0, 0, 255, 255],
      [0, 0, 255, 255],
      [p, p, p, p],
      [p, p, p, p],
    ]);
    expect(plane(t, 1, 4, 4)).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [p, p, p, p],
      [p, p, p, p],
    ]);
    expect(plane(t, 2, 4, 4)).toEqual([
      [255, 255, 0, 0],
      [255, 255, 0, 0],
      [p, p, p, p],
      [p, p, p, p],
    ]);
  });

  it('writes RGB planes scaled to 0..1 and normalised, centred with padding on both sides', () => {
    const input = {
      ...yolox,
      colourOrder: 'rgb' as const,
      multiplier: 1 / 255,
      mean: [0.5, 0, 0] as const,
      std: [0.5, 1, 1] as const,
    };
    const lb = computeLetterbox(1, 2, 4, 2, 'centre');
    expect(lb).toMatchObject({ resizedWidth: 1, resizedHeight: 2, padLeft: 1 });
    const t = new Float32Array(3 * 8).fill(NaN);
    packLetterboxed(rgb, lb, channelTransform(input), t);
    const pad = [(114 / 255 - 0.5) / 0.5, 114 / 255, 114 / 255];
    expect(plane(t, 0, 4, 2).flat()).toEqual(
      [pad[0], 1, pad[0], pad[0], pad[0], -1, pad[0], pad[0]].map((v) => expect.closeTo(v, 6)),
    );
    expect(plane(t, 2, 4, 2).flat()).toEqual(
      [pad[2], 0, pad[2], pad[2], pad[2], 1, pad[2], pad[2]].map((v) => expect.closeTo(v, 6)),
    );
  });

  it('packs into the slot of one image in a batch and refuses short buffers', () => {
    const lb = computeLetterbox(2, 1, 2, 1, 'top-left');
    const t = new Float32Array(2 * 3 * 2).fill(-1);
    packLetterboxed(rgb, lb, channelTransform(yolox), t, 6);
    expect(Array.from(t)).toEqual([-1, -1, -1, -1, -1, -1, 0, 255, 0, 0, 255, 0]);
    expect(() => packLetterboxed(rgb.subarray(0, 3), lb, channelTransform(yolox), t)).toThrow(
      /fewer than 2x1x3/,
    );
    expect(() => packLetterboxed(rgb, lb, channelTransform(yolox), t, 7)).toThrow(/tensor holds 12 values/);
  });
});
