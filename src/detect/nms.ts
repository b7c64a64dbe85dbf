/** A scored box of one class; the coordinates may be in any units as long as both axes use the same scale. */
export interface ScoredBox {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
  classIndex: number;
}

export function boxIou(a: ScoredBox, b: ScoredBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  if (iw <= 0) return 0;
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Class-aware greedy non-maximum suppression: the best-scoring box of each cluster of one class survives, and
 * boxes of different classes never suppress each other (a person standing at a stall must not erase the
 * umbrella). Returns the survivors, best first, at most `maxDetections` of them. Ties keep input order.
 */
export function classAwareNms<T extends ScoredBox>(
  boxes: readonly T[],
  iouThreshold: number,
  maxDetections: number,
): T[] {
  const order = boxes.map((_, i) => i).sort((i, j) => boxes[j]!.score - boxes[i]!.score || i - j);
  const keptByClass = new Map<number, T[]>();
  const kept: T[] = [];
  for (const i of order) {
    if (kept.length >= maxDetections) break;
    const box = boxes[i]!;
    let sameClass = keptByClass.get(box.classIndex);
    if (!sameClass) {
      sameClass = [];
      keptByClass.set(box.classIndex, sameClass);
    }
    if (sameClass.some((k) => boxIou(k, box) > iouThreshold)) continue;
    sameClass.push(box);
    kept.push(box);
  }
  return kept;
}
