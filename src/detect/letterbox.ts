import type { NormalizedBox } from './detection.js';
import type { LetterboxMode } from './model-manifest.js';

/** A rectangle of the original frame in whole pixels: the whole frame, or a zone crop of it. */
export interface PixelRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Where a source rectangle lands inside the model input: resized to `resizedWidth` x `resizedHeight` and placed
 * at (`padLeft`, `padTop`); the rest of the input is padding.
 */
export interface Letterbox {
  inputWidth: number;
  inputHeight: number;
  resizedWidth: number;
  resizedHeight: number;
  padLeft: number;
  padTop: number;
  /** Input pixels per source pixel along x and along y (equal unless the mode is "stretch"). */
  scaleX: number;
  scaleY: number;
}

export function computeLetterbox(
  sourceWidth: number,
  sourceHeight: number,
  inputWidth: number,
  inputHeight: number,
  mode: LetterboxMode,
): Letterbox {
  if (!(sourceWidth > 0 && sourceHeight > 0)) {
    throw new RangeError(`cannot letterbox an empty source of ${sourceWidth}x${sourceHeight} pixels`);
  }
  if (mode === 'stretch') {
    return letterboxFromResized(
      sourceWidth,
      sourceHeight,
      inputWidth,
      inputHeight,
      inputWidth,
      inputHeight,
      mode,
    );
  }
  const scale = Math.min(inputWidth / sourceWidth, inputHeight / sourceHeight);
  // Never round a side to 0 or past the input: a 1-pixel-high strip still needs one row.
  const resizedWidth = Math.min(inputWidth, Math.max(1, Math.round(sourceWidth * scale)));
  const resizedHeight = Math.min(inputHeight, Math.max(1, Math.round(sourceHeight * scale)));
  return letterboxFromResized(
    sourceWidth,
    sourceHeight,
    resizedWidth,
    resizedHeight,
    inputWidth,
    inputHeight,
    mode,
  );
}

/**
 * The letterbox of a source already resized to `resizedWidth` x `resizedHeight` (by a decoder that chose the
 * rounding itself), so that boxes map back onto exactly the pixels the model saw.
 */
export function letterboxFromResized(
  sourceWidth: number,
  sourceHeight: number,
  resizedWidth: number,
  resizedHeight: number,
  inputWidth: number,
  inputHeight: number,
  mode: LetterboxMode,
): Letterbox {
  if (resizedWidth > inputWidth || resizedHeight > inputHeight) {
    throw new RangeError(
      `resized ${resizedWidth}x${resizedHeight} does not fit the ${inputWidth}x${inputHeight} input`,
    );
  }
  const centred = mode === 'centre';
  return {
    inputWidth,
    inputHeight,
    resizedWidth,
    resizedHeight,
    padLeft: centred ? Math.floor((inputWidth - resizedWidth) / 2) : 0,
    padTop: centred ? Math.floor((inputHeight - resizedHeight) / 2) : 0,
    scaleX: resizedWidth / sourceWidth,
    scaleY: resizedHeight / sourceHeight,
  };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/**
 * Maps a box in model-input pixels back to normalised coordinates of the whole frame, through the letterbox of
 * the view (`rect`) it was detected in.
 */
export function inputBoxToFrame(
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  lb: Letterbox,
  rect: PixelRect,
  frameWidth: number,
  frameHeight: number,
): NormalizedBox {
  return {
    x1: clamp01((rect.left + (x1 - lb.padLeft) / lb.scaleX) / frameWidth),
    y1: clamp01((rect.top + (y1 - lb.padTop) / lb.scaleY) / frameHeight),
    x2: clamp01((rect.left + (x2 - lb.padLeft) / lb.scaleX) / frameWidth),
    y2: clamp01((rect.top + (y2 - lb.padTop) / lb.scaleY) / frameHeight),
  };
}
