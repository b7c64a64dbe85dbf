import type { Letterbox } from './letterbox.js';
import type { ModelManifest } from './model-manifest.js';

/** Per model channel: which RGB channel feeds it and the affine map from a 0-255 pixel to the tensor value. */
export interface ChannelTransform {
  source: readonly [number, number, number];
  gain: readonly [number, number, number];
  bias: readonly [number, number, number];
  /** The padding's tensor value per channel. */
  pad: readonly [number, number, number];
}

export function channelTransform(input: ModelManifest['input']): ChannelTransform {
  const source = input.colourOrder === 'bgr' ? ([2, 1, 0] as const) : ([0, 1, 2] as const);
  const gain = [0, 1, 2].map((c) => input.multiplier / input.std[c]!) as [number, number, number];
  const bias = [0, 1, 2].map((c) => -input.mean[c]! / input.std[c]!) as [number, number, number];
  const pad = [0, 1, 2].map((c) => input.padValue * gain[c]! + bias[c]!) as [number, number, number];
  return { source, gain, bias, pad };
}

/**
 * Writes a resized RGB image (interleaved, `lb.resizedWidth` x `lb.resizedHeight`, 3 bytes a pixel) into one
 * image's slot of an NCHW float tensor, placed and padded as the letterbox says, in the model's channel order
 * and scaling. Each value is written once: the padding around the image is filled by ranges, the image by one
 * pass over its pixels, so no intermediate planes or copies are made.
 */
export function packLetterboxed(
  rgb: Uint8Array,
  lb: Letterbox,
  t: ChannelTransform,
  target: Float32Array,
  offset = 0,
): void {
  const { inputWidth: W, inputHeight: H, resizedWidth: rw, resizedHeight: rh, padLeft, padTop } = lb;
  if (rgb.length < rw * rh * 3) {
    throw new RangeError(`pixel buffer holds ${rgb.length} bytes, fewer than ${rw}x${rh}x3`);
  }
  const plane = W * H;
  if (target.length < offset + 3 * plane) {
    throw new RangeError(`tensor holds ${target.length} values, fewer than ${offset} + 3x${W}x${H}`);
  }
  const right = padLeft + rw;
  const bottom = padTop + rh;
  for (let k = 0; k < 3; k++) {
    const base = offset + k * plane;
    const pad = t.pad[k]!;
    target.fill(pad, base, base + padTop * W);
    target.fill(pad, base + bottom * W, base + plane);
    if (padLeft > 0 || right < W) {
      for (let y = padTop; y < bottom; y++) {
        const row = base + y * W;
        target.fill(pad, row, row + padLeft);
        target.fill(pad, row + right, row + W);
      }
    }
  }
  const [s0, s1, s2] = t.source;
  const [g0, g1, g2] = t.gain;
  const [b0, b1, b2] = t.bias;
  const p0 = offset;
  const p1 = offset + plane;
  const p2 = offset + 2 * plane;
  for (let y = 0; y < rh; y++) {
    const dst = (padTop + y) * W + padLeft;
    let src = y * rw * 3;
    for (let x = 0; x < rw; x++, src += 3) {
      const d = dst + x;
      target[p0 + d] = rgb[src + s0]! * g0 + b0;
      target[p1 + d] = rgb[src + s1]! * g1 + b1;
      target[p2 + d] = rgb[src + s2]! * g2 + b2;
    }
  }
}
