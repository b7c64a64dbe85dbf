import { describe, expect, it } from 'vitest';
import { fitProjection, scaleBar } from './screen-map.js';

const box = { width: 400, height: 300, padding: 20 };

describe('the camera map projection', () => {
  it('fits the bounding box inside the padding, north up, keeping the aspect ratio', () => {
    // Lujiazui-ish: about 0.04 degrees of longitude by 0.02 of latitude
    const pts = [
      { latitude: 31.22, longitude: 121.48 },
      { latitude: 31.24, longitude: 121.52 },
    ];
    const { project } = fitProjection(pts, box);
    const sw = project(pts[0]!);
    const ne = project(pts[1]!);
    for (const p of [sw, ne]) {
      expect(p.x).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(p.x).toBeLessThanOrEqual(380 + 1e-9);
      expect(p.y).toBeGreaterThanOrEqual(20 - 1e-9);
      expect(p.y).toBeLessThanOrEqual(280 + 1e-9);
    }
    expect(ne.y).toBeLessThan(sw.y); // north is up
    expect(ne.x).toBeGreaterThan(sw.x);
    // the wider axis fills the inner width; the ratio follows cos(latitude)
    expect(ne.x - sw.x).toBeCloseTo(360, 6);
    const expectedRatio = 0.02 / (0.04 * Math.cos((31.23 * Math.PI) / 180));
    expect((sw.y - ne.y) / (ne.x - sw.x)).toBeCloseTo(expectedRatio, 6);
  });

  it('centres the drawing', () => {
    const pts = [
      { latitude: 31.0, longitude: 121.0 },
      { latitude: 31.1, longitude: 121.0 },
    ];
    const { project } = fitProjection(pts, box);
    expect(project(pts[0]!).x).toBeCloseTo(200, 9);
    expect((project(pts[0]!).y + project(pts[1]!).y) / 2).toBeCloseTo(150, 9);
    expect(project(pts[1]!).y).toBeCloseTo(20, 9); // the tall axis fills the inner height
  });

  it('puts one camera, or cameras on one spot, in the centre', () => {
    const one = fitProjection([{ latitude: 31.2, longitude: 121.5 }], box);
    expect(one.project({ latitude: 31.2, longitude: 121.5 })).toEqual({ x: 200, y: 150 });
    expect(one.metresPerUnit).toBeNull();
    expect(fitProjection([], box).project({ latitude: 0, longitude: 0 })).toEqual({ x: 200, y: 150 });
  });

  it('gives a round scale bar no longer than asked', () => {
    expect(scaleBar(10, 100)).toEqual({ metres: 1000, units: 100 });
    expect(scaleBar(13, 100)).toEqual({ metres: 1000, units: 1000 / 13 });
    expect(scaleBar(3, 100)).toEqual({ metres: 200, units: 200 / 3 });
  });
});
