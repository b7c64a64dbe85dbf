import type { PixelRect } from './letterbox.js';
import { classAwareNms, type ScoredBox } from './nms.js';

/** What one view (the whole frame or a crop) found, boxes already in normalised coordinates of the frame. */
export interface ViewResult<T extends ScoredBox> {
  rect: PixelRect;
  boxes: readonly T[];
}

/** How close (in frame pixels) a box may come to a crop's inner edge before it counts as cut by the crop. */
export const CROP_EDGE_TOLERANCE_PX = 2;

/**
 * True when the box reaches an edge of the crop that lies inside the frame: the object probably continues past
 * the crop, so its box is partial, and the whole-frame view (or a neighbouring crop) sees it whole.
 */
export function isCutByCrop(
  box: ScoredBox,
  rect: PixelRect,
  frameWidth: number,
  frameHeight: number,
): boolean {
  const tolX = CROP_EDGE_TOLERANCE_PX / frameWidth;
  const tolY = CROP_EDGE_TOLERANCE_PX / frameHeight;
  const left = rect.left / frameWidth;
  const top = rect.top / frameHeight;
  const right = (rect.left + rect.width) / frameWidth;
  const bottom = (rect.top + rect.height) / frameHeight;
  return (
    (rect.left > 0 && box.x1 <= left + tolX) ||
    (rect.top > 0 && box.y1 <= top + tolY) ||
    (rect.left + rect.width < frameWidth && box.x2 >= right - tolX) ||
    (rect.top + rect.height < frameHeight && box.y2 >= bottom - tolY)
  );
}

/**
 * Joins the results of the whole frame and its crops into one list: boxes cut by a crop's inner edge are
 * dropped, then one object seen in several views keeps only its best-scoring box (class-aware suppression in
 * frame coordinates, where IoU means the same as in pixels because both axes scale uniformly).
 */
export function mergeViewResults<T extends ScoredBox>(
  views: readonly ViewResult<T>[],
  frameWidth: number,
  frameHeight: number,
  iouThreshold: number,
  maxDetections: number,
): T[] {
  if (views.length === 1) return classAwareNms(views[0]!.boxes, iouThreshold, maxDetections);
  const all: T[] = [];
  for (const view of views) {
    const isFull = view.rect.width >= frameWidth && view.rect.height >= frameHeight;
    for (const box of view.boxes) {
      if (isFull || !isCutByCrop(box, view.rect, frameWidth, frameHeight)) all.push(box);
    }
  }
  return classAwareNms(all, iouThreshold, maxDetections);
}
