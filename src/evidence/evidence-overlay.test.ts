import { describe, expect, it } from 'vitest';
import { beijingTime } from '../shared/beijing-time.js';
import { cropRegion, headerLines, overlaySvg, type OverlayInput } from './evidence-overlay.js';

const input: OverlayInput = {
  width: 960,
  height: 720,
  cameraName: '东方路 <1号> & "菜场"',
  capturedAt: new Date('2026-03-02T02:15:03Z'),
  rule: 'street_stall',
  zone: {
    name: '菜场门口',
    kind: 'no_stall',
    points: [
      { x: 0.1, y: 0.4 },
      { x: 0.6, y: 0.4 },
      { x: 0.6, y: 0.95 },
    ],
  },
  detections: [
    { label: 'umbrella', role: 'goods', score: 0.81, box: { x1: 0.3, y1: 0.6, x2: 0.4, y2: 0.75 } },
  ],
  violationBox: { x1: 0.3, y1: 0.6, x2: 0.4, y2: 0.75 },
  role: 'confirmed',
  seq: 5,
  elapsedSeconds: 20.4,
};

describe('evidence overlay', () => {
  it('writes capture times in Beijing time whatever the process time zone', () => {
    expect(beijingTime(new Date('2026-03-02T02:15:03Z'))).toBe('2026-03-02 10:15:03');
    expect(beijingTime(new Date('2026-03-01T16:00:00Z'))).toBe('2026-03-02 00:00:00');
  });

  it('names camera, time, violation, zone, proof role and duration in the header', () => {
    expect(headerLines(input)).toEqual([
      '东方路 <1号> & "菜场" · 2026-03-02 10:15:03 (北京时间)',
      '无序设摊 · 菜场门口 · 确认违法 · 持续 20 秒 · 帧 #5',
    ]);
  });

  it('escapes names in the SVG and draws the zone, the detection and the violation box in frame pixels', () => {
    const svg = overlaySvg(input);
    expect(svg).toContain('&#60;1号&#62; &#38; &#34;菜场&#34;');
    expect(svg).not.toContain('<1号>');
    expect(svg).toContain('points="96.0,288.0 576.0,288.0 576.0,684.0"');
    expect(svg).toContain('umbrella 0.81');
    expect(svg).toMatch(
      /<rect x="288\.0" y="432\.0" width="96\.0" height="108\.0" fill="none" stroke="#ef4444"/,
    );
  });

  it('crops twice the box around its centre, at least the minimum, and inside the frame', () => {
    expect(cropRegion({ x1: 0.3, y1: 0.6, x2: 0.4, y2: 0.75 }, 320, 240)).toEqual({
      left: 80,
      top: 126,
      width: 64,
      height: 72,
    });
    expect(cropRegion({ x1: 0.98, y1: 0.97, x2: 1, y2: 1 }, 320, 240)).toEqual({
      left: 256,
      top: 176,
      width: 64,
      height: 64,
    });
    expect(cropRegion({ x1: 0, y1: 0, x2: 1, y2: 1 }, 320, 240)).toEqual({
      left: 0,
      top: 0,
      width: 320,
      height: 240,
    });
  });
});
