/**
 * The command screen's camera map, pure: an equirectangular projection fitted to the cameras' bounding box, so
 * the district's cameras fill the drawing without any external map tiles. Over a district (tens of kilometres)
 * the earth is flat enough; longitude degrees are shortened by cos(latitude) so distances look right.
 */

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface MapBox {
  width: number;
  height: number;
  /** the margin kept free on every side, in drawing units */
  padding: number;
}

export interface Projection {
  /** drawing coordinates of a point (y grows downwards, north is up) */
  project(p: GeoPoint): { x: number; y: number };
  /** metres per drawing unit, for the scale bar; null when the cameras stand on one spot */
  metresPerUnit: number | null;
}

const METRES_PER_DEGREE = 111_320;

/**
 * Fits the points into the box keeping the aspect ratio (one scale for both axes) and centring them. With one
 * point, or all on one spot, the point sits in the centre. Without points the projection puts everything in the
 * centre too (nothing is drawn anyway).
 */
export function fitProjection(points: readonly GeoPoint[], box: MapBox): Projection {
  const cx = box.width / 2;
  const cy = box.height / 2;
  if (points.length === 0) return { project: () => ({ x: cx, y: cy }), metresPerUnit: null };
  let minLat = Infinity;
  let maxLat = -Infinity;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const p of points) {
    minLat = Math.min(minLat, p.latitude);
    maxLat = Math.max(maxLat, p.latitude);
    minLon = Math.min(minLon, p.longitude);
    maxLon = Math.max(maxLon, p.longitude);
  }
  const midLat = (minLat + maxLat) / 2;
  const midLon = (minLon + maxLon) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const spanX = (maxLon - minLon) * kx;
  const spanY = maxLat - minLat;
  const innerW = Math.max(1, box.width - 2 * box.padding);
  const innerH = Math.max(1, box.height - 2 * box.padding);
  if (spanX === 0 && spanY === 0) return { project: () => ({ x: cx, y: cy }), metresPerUnit: null };
  // units per (corrected) degree: the tighter of the two axes decides, so nothing leaves the box
  const scale = Math.min(spanX > 0 ? innerW / spanX : Infinity, spanY > 0 ? innerH / spanY : Infinity);
  return {
    project: (p) => ({
      x: cx + (p.longitude - midLon) * kx * scale,
      y: cy - (p.latitude - midLat) * scale,
    }),
    metresPerUnit: METRES_PER_DEGREE / scale,
  };
}

/** A round length for the scale bar (1, 2 or 5 times a power of ten metres) at most `maxUnits` long. */
export function scaleBar(metresPerUnit: number, maxUnits: number): { metres: number; units: number } {
  const most = metresPerUnit * maxUnits;
  const power = 10 ** Math.floor(Math.log10(most));
  const metres = [5, 2, 1].map((m) => m * power).find((m) => m <= most) ?? power;
  return { metres, units: metres / metresPerUnit };
}
