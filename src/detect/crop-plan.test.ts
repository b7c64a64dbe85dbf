import { describe, expect, it } from 'vitest';
import { planViews } from './crop-plan.js';

const full1080 = { left: 0, top: 0, width: 1920, height: 1080 };

describe('planViews', () => {
  it('runs only the whole frame when there are no zones', () => {
    expect(planViews(1920, 1080, [], 416, 416)).toEqual([full1080]);
  });

  it('adds a square crop around a small zone, at most 2x magnified', () => {
    const zone = { x1: 1450 / 1920, y1: 650 / 1080, x2: 1600 / 1920, y2: 800 / 1080 };
    const [full, crop, ...rest] = planViews(1920, 1080, [zone], 416, 416);
    expect(full).toEqual(full1080);
    expect(rest).toEqual([]);
    // 150 px plus 15 % margins is 195 px, grown to 208 so that the crop is magnified no more than 2x.
    expect(crop).toEqual({ left: 1421, top: 621, width: 208, height: 208 });
  });

  it('widens a tall zone to the model aspect ratio where the frame allows', () => {
    const zone = { x1: 0.5, y1: 0.2, x2: 0.55, y2: 0.5 };
    const [, crop] = planViews(1920, 1080, [zone], 416, 416);
    expect(crop!.width).toBe(crop!.height);
    expect(crop!.left).toBeLessThan(0.5 * 1920);
    expect(crop!.left + crop!.width).toBeGreaterThan(0.55 * 1920);
  });

  it('keeps crops inside the frame when a zone touches its edge', () => {
    const [, crop] = planViews(1920, 1080, [{ x1: 0.95, y1: 0.9, x2: 1, y2: 1 }], 416, 416);
    expect(crop!.left + crop!.width).toBeLessThanOrEqual(1920);
    expect(crop!.top + crop!.height).toBeLessThanOrEqual(1080);
    expect(crop!.width).toBe(208);
  });

  it('skips a zone so large that its crop would barely magnify anything', () => {
    expect(planViews(1920, 1080, [{ x1: 0.1, y1: 0.1, x2: 0.7, y2: 0.9 }], 416, 416)).toHaveLength(1);
    // On a frame the model sees at full resolution, a crop pays only when the zone is small enough to enlarge.
    expect(planViews(416, 416, [{ x1: 0.2, y1: 0.2, x2: 0.8, y2: 0.8 }], 416, 416)).toHaveLength(1);
    expect(planViews(416, 416, [{ x1: 0.4, y1: 0.4, x2: 0.5, y2: 0.5 }], 416, 416)[1]).toMatchObject({
      width: 208,
    });
  });

  it('merges overlapping zones into one crop when the union still magnifies enough', () => {
    const views = planViews(
      1920,
      1080,
      [
        { x1: 0.1, y1: 0.1, x2: 0.15, y2: 0.2 },
        { x1: 0.13, y1: 0.12, x2: 0.2, y2: 0.22 },
      ],
      416,
      416,
    );
    expect(views).toHaveLength(2);
  });

  it('keeps far-apart zones as separate crops, at most maxCrops of them', () => {
    const zones = [0.05, 0.3, 0.55, 0.8].map((x) => ({ x1: x, y1: 0.1, x2: x + 0.05, y2: 0.2 }));
    expect(planViews(1920, 1080, zones, 416, 416)).toHaveLength(5);
    const capped = planViews(1920, 1080, zones, 416, 416, { maxCrops: 2 });
    expect(capped.length).toBeLessThanOrEqual(3);
    expect(capped[0]).toEqual(full1080);
  });
});
