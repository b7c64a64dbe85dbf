import { describe, expect, it } from 'vitest';
import { evidenceEligibility } from './evidence-eligibility.js';

const complete = {
  legalReviewDate: '2026-01-05',
  technicalReviewDate: '2026-01-06',
  published: true,
  lastPassingCheckAt: new Date('2026-10-01T00:00:00Z'),
  lastFailingCheckAt: null,
};

describe('evidenceEligibility', () => {
  it('allows a fully registered camera', () => {
    expect(evidenceEligibility(complete)).toEqual({ eligible: true, reasons: [] });
  });

  it('names every missing condition', () => {
    const r = evidenceEligibility({ ...complete, legalReviewDate: null, published: false });
    expect(r.eligible).toBe(false);
    expect(r.reasons).toEqual([
      'legal review of the device is not recorded',
      'device location is not published',
    ]);
  });

  it('refuses when the latest check failed', () => {
    const r = evidenceEligibility({ ...complete, lastFailingCheckAt: new Date('2026-11-01T00:00:00Z') });
    expect(r.reasons).toEqual(['the latest maintenance or test record failed']);
  });
});
