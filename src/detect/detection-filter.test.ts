import { describe, expect, it } from 'vitest';
import type { Detection, DetectionRole } from './detection.js';
import { filterDetections } from './detection-filter.js';

const det = (
  label: string,
  role: DetectionRole,
  score: number,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
) => ({ label, role, score, box: { x1, y1, x2, y2 } }) satisfies Detection;

const person = det('person', 'person', 0.8, 0.1, 0.1, 0.2, 0.4);
const faintBottle = det('bottle', 'dumping', 0.35, 0.6, 0.6, 0.62, 0.65);
const hugeBlur = det('truck', 'vehicle', 0.5, 0, 0, 0.95, 0.95);
const all = [person, faintBottle, hugeBlur];

describe('filterDetections', () => {
  it('keeps everything with an empty filter', () => {
    expect(filterDetections(all)).toEqual(all);
  });

  it('applies the minimum score, with per-label overrides', () => {
    expect(filterDetections(all, { minScore: 0.4 })).toEqual([person, hugeBlur]);
    expect(filterDetections(all, { minScore: 0.4, minScoreByLabel: { bottle: 0.3, truck: 0.6 } })).toEqual([
      person,
      faintBottle,
    ]);
  });

  it('drops boxes outside the area bounds (shares of the frame)', () => {
    expect(filterDetections(all, { minArea: 0.002 })).toEqual([person, hugeBlur]);
    expect(filterDetections(all, { maxArea: 0.5 })).toEqual([person, faintBottle]);
  });

  it('keeps only the wanted roles', () => {
    expect(filterDetections(all, { roles: ['person', 'dumping'] })).toEqual([person, faintBottle]);
  });

  it('drops detections standing inside an ignore mask, judged by the foot point', () => {
    // The mask covers the person's feet (0.15, 0.4) but not the bottle's.
    const mask = [
      { x: 0, y: 0.35 },
      { x: 0.3, y: 0.35 },
      { x: 0.3, y: 0.45 },
      { x: 0, y: 0.45 },
    ];
    expect(filterDetections(all, { ignoreMasks: [mask] })).toEqual([faintBottle, hugeBlur]);
    // A mask over the head only does not hide the person.
    const overHead = mask.map((p) => ({ x: p.x, y: p.y - 0.3 }));
    expect(filterDetections(all, { ignoreMasks: [overHead] })).toEqual(all);
  });

  it('uses a zone filter for detections standing in the zone, the camera filter elsewhere', () => {
    const zone = {
      region: [
        { x: 0.5, y: 0.5 },
        { x: 0.9, y: 0.5 },
        { x: 0.9, y: 0.9 },
        { x: 0.5, y: 0.9 },
      ],
      filter: { minScore: 0.3 },
    };
    expect(filterDetections(all, { minScore: 0.6 }, [zone])).toEqual([person, faintBottle]);
    // Camera masks still apply inside the zone.
    const maskOverBottle = [
      { x: 0.55, y: 0.6 },
      { x: 0.7, y: 0.6 },
      { x: 0.7, y: 0.7 },
      { x: 0.55, y: 0.7 },
    ];
    expect(filterDetections(all, { minScore: 0.6, ignoreMasks: [maskOverBottle] }, [zone])).toEqual([person]);
  });
});
