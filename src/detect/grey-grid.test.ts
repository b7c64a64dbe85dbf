import { describe, expect, it } from 'vitest';
import { greyGrid } from './grey-grid.js';

function image(width: number, height: number, colour: (x: number, y: number) => [number, number, number]) {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgb.set(colour(x, y), (y * width + x) * 3);
  }
  return rgb;
}

describe('greyGrid', () => {
  it('averages each cell and weighs the channels as luma', () => {
    // 4x2 image: left half white, right half pure green.
    const rgb = image(4, 2, (x) => (x < 2 ? [255, 255, 255] : [0, 255, 0]));
    expect(greyGrid(rgb, 4, 2, 2, 1)).toEqual({ width: 2, height: 1, data: new Uint8Array([255, 150]) });
  });

  it('spreads uneven sizes over the cells and keeps a gradient in order', () => {
    const rgb = image(10, 3, (x) => [x * 25, x * 25, x * 25]);
    const grid = greyGrid(rgb, 10, 3, 3, 1);
    // Columns 0-3, 4-6 and 7-9.
    expect(Array.from(grid.data)).toEqual([38, 125, 200]);
  });

  it('refuses a grid larger than the image or a short buffer', () => {
    expect(() => greyGrid(new Uint8Array(12), 2, 2, 3, 1)).toThrow(/3x1 grid cannot be taken from a 2x2/);
    expect(() => greyGrid(new Uint8Array(5), 2, 2, 1, 1)).toThrow(/fewer than 2x2x3/);
  });
});
