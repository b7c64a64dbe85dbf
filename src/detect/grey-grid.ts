/** A small greyscale picture of a whole frame, for the rules' background model (scene change, dumping). */
export interface GreyGrid {
  width: number;
  height: number;
  /** Row-major grey values 0-255, `width` x `height`. */
  data: Uint8Array;
}

/**
 * Averages an interleaved RGB image (3 bytes a pixel) into a `gridWidth` x `gridHeight` grid of luma values
 * (Rec. 601 weights on the stored values). Every source pixel counts toward the one cell it falls in, so the grid
 * is a box-filtered thumbnail; it is computed from pixels the detector has already decoded, sparing a second
 * decode of the frame.
 */
export function greyGrid(
  rgb: Uint8Array,
  width: number,
  height: number,
  gridWidth: number,
  gridHeight: number,
): GreyGrid {
  if (rgb.length < width * height * 3) {
    throw new RangeError(`pixel buffer holds ${rgb.length} bytes, fewer than ${width}x${height}x3`);
  }
  if (!(gridWidth >= 1 && gridHeight >= 1 && gridWidth <= width && gridHeight <= height)) {
    throw new RangeError(`a ${gridWidth}x${gridHeight} grid cannot be taken from a ${width}x${height} image`);
  }
  const sums = new Float64Array(gridWidth * gridHeight);
  const counts = new Uint32Array(gridWidth * gridHeight);
  const cellOfColumn = new Uint32Array(width);
  for (let x = 0; x < width; x++) cellOfColumn[x] = Math.floor((x * gridWidth) / width);
  for (let y = 0; y < height; y++) {
    const rowCell = Math.floor((y * gridHeight) / height) * gridWidth;
    let i = y * width * 3;
    for (let x = 0; x < width; x++, i += 3) {
      const cell = rowCell + cellOfColumn[x]!;
      sums[cell]! += 0.299 * rgb[i]! + 0.587 * rgb[i + 1]! + 0.114 * rgb[i + 2]!;
      counts[cell]!++;
    }
  }
  const data = new Uint8Array(gridWidth * gridHeight);
  for (let c = 0; c < data.length; c++) data[c] = Math.round(sums[c]! / counts[c]!);
  return { width: gridWidth, height: gridHeight, data };
}
