import { describe, expect, it } from 'vitest';
import { dedupeKeyFor, evidenceKey, manifestKey, violationUuidFor } from './evidence-ids.js';
import { assertValidBlobKey } from '../storage/blob-store.js';

const CAMERA = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const KEY = dedupeKeyFor(`${CAMERA}:zone-1:v7`, '5d0e4c1a-2b3c-4d5e-8f90-1a2b3c4d5e6f');

describe('evidence ids', () => {
  it('derives the same violation UUID from the same dedupe key, and another from another', () => {
    const id = violationUuidFor(KEY);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(violationUuidFor(KEY)).toBe(id);
    expect(violationUuidFor(dedupeKeyFor(`${CAMERA}:zone-1:v7`, 'another-epoch'))).not.toBe(id);
  });

  it('lays evidence out under the violation, re-check files apart, with keys every blob store accepts', () => {
    const id = violationUuidFor(KEY);
    const keys = [
      evidenceKey(id, 'original', 12),
      evidenceKey(id, 'crop', 30, 'recheck'),
      manifestKey(id),
      manifestKey(id, 'recheck'),
    ];
    expect(keys).toEqual([
      `evidence/${id}/original-12.jpg`,
      `evidence/${id}/recheck/crop-30.jpg`,
      `evidence/${id}/manifest.json`,
      `evidence/${id}/recheck/manifest.json`,
    ]);
    for (const key of keys) expect(() => assertValidBlobKey(key)).not.toThrow();
  });
});
