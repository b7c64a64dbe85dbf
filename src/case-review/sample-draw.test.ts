import { describe, expect, it } from 'vitest';
import { drawSample, DrawError, verifyDraw, type PopulationCase } from './sample-draw.js';

const seed = '0123456789abcdef0123456789abcdef';
const population: PopulationCase[] = Array.from({ length: 20 }, (_, i) => ({
  caseId: `case-${i}`,
  excluded: i % 2 === 0 ? ['r1'] : [],
}));
const reviewers = ['r1', 'r2', 'r3'];

describe('the random draw (双随机)', () => {
  it('gives the same sample and reviewers from the same seed, whatever the order of its inputs', () => {
    const a = drawSample({ seed, population, reviewers, size: 5 });
    const b = drawSample({
      seed,
      population: [...population].reverse(),
      reviewers: [...reviewers].reverse(),
      size: 5,
    });
    expect(a).toHaveLength(5);
    expect(b).toEqual(a);
    expect(verifyDraw({ seed, population, reviewers, size: 5 }, a)).toBe(true);
  });

  it('differs with another seed, and a tampered sample fails verification', () => {
    const a = drawSample({ seed, population, reviewers, size: 5 });
    const other = drawSample({ seed: 'f'.repeat(32), population, reviewers, size: 5 });
    expect(other).not.toEqual(a);
    const tampered = a.map((d, i) => (i === 0 ? { ...d, caseId: 'case-x' } : d));
    expect(verifyDraw({ seed, population, reviewers, size: 5 }, tampered)).toBe(false);
  });

  it('never gives a case to a reviewer who worked on it, and passes over a case nobody may review', () => {
    const drawn = drawSample({
      seed,
      population: [...population, { caseId: 'nobody', excluded: reviewers }],
      reviewers,
      size: 21,
    });
    expect(drawn).toHaveLength(20);
    for (const d of drawn) {
      const c = population.find((p) => p.caseId === d.caseId)!;
      expect(c.excluded).not.toContain(d.reviewerId);
    }
  });

  it('takes the whole population when it is smaller than the sample, and refuses a bad seed or size', () => {
    expect(drawSample({ seed, population: population.slice(0, 2), reviewers, size: 10 })).toHaveLength(2);
    expect(() => drawSample({ seed: 'nope', population, reviewers, size: 1 })).toThrow(DrawError);
    expect(() => drawSample({ seed, population, reviewers, size: 0 })).toThrow(DrawError);
  });
});
