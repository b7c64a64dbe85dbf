import QRCode from 'qrcode';

/**
 * QR codes drawn from the module matrix itself: the PDF gets vector squares and the HTML an SVG path, both
 * exact at any print size and identical from one rendering to the next.
 */

export interface QrMatrix {
  /** Modules per side, without the quiet zone. */
  size: number;
  isDark(row: number, column: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  if (text.length === 0) throw new RangeError('a QR code needs some text');
  // Level M survives a smudged print while keeping a portal URL at a small version.
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (row, column) => modules.get(row, column) === 1 };
}

/** Dark modules as [column, row] pairs, row by row. */
export function darkModules(matrix: QrMatrix): Array<readonly [number, number]> {
  const dark: Array<readonly [number, number]> = [];
  for (let row = 0; row < matrix.size; row += 1) {
    for (let column = 0; column < matrix.size; column += 1)
      if (matrix.isDark(row, column)) dark.push([column, row]);
  }
  return dark;
}

/** An SVG with a 4-module quiet zone, as the QR standard asks, scaled to `pixels` square. */
export function qrSvg(text: string, pixels = 132): string {
  const matrix = qrMatrix(text);
  const quiet = 4;
  const side = matrix.size + quiet * 2;
  const path = darkModules(matrix)
    .map(([column, row]) => `M${column + quiet} ${row + quiet}h1v1h-1z`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${side} ${side}" width="${pixels}" height="${pixels}" ` +
    `shape-rendering="crispEdges" role="img"><rect width="${side}" height="${side}" fill="#fff"/>` +
    `<path d="${path}" fill="#000"/></svg>`
  );
}
