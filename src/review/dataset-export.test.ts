import { describe, expect, it } from 'vitest';
import { yoloLines } from './dataset-export.service.js';

describe('yoloLines', () => {
  it('writes class ids in first-seen order and centre/size boxes', () => {
    const classes = new Map<string, number>();
    const text = yoloLines(
      [
        { label: 'umbrella', role: 'goods', score: 0.9, box: { x1: 0.1, y1: 0.2, x2: 0.3, y2: 0.6 } },
        { label: 'person', role: 'person', score: 0.8, box: { x1: 0.5, y1: 0.5, x2: 0.6, y2: 0.9 } },
      ],
      classes,
    );
    expect(text).toBe('0 0.200000 0.400000 0.200000 0.400000\n1 0.550000 0.700000 0.100000 0.400000');
    expect([...classes.keys()]).toEqual(['umbrella', 'person']);
  });
});
