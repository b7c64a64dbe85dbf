import { describe, expect, it } from 'vitest';
import { dedupeKeyFor } from '../evidence/evidence-ids.js';
import { jobIds } from './jobs.js';

const CAMERA = '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';
const KEY = dedupeKeyFor(`${CAMERA}:zone-1:v7`, '5d0e4c1a-2b3c-4d5e-8f90-1a2b3c4d5e6f');

describe('job ids', () => {
  it('makes job ids without the colons BullMQ refuses, one per phase', () => {
    const ids = [jobIds.evidence(KEY), jobIds.evidence(KEY, 'recheck'), jobIds.evidence(KEY, 'sweep-42')];
    for (const id of ids) expect(id).not.toContain(':');
    expect(new Set(ids).size).toBe(3);
    expect(jobIds.recheck('v', 0)).toBe('recheck-v');
    expect(jobIds.recheck('v', 2)).toBe('recheck-v-2');
    expect(jobIds.recheck('v', 0, 3)).toBe('recheck-v-d3');
  });

  it('keeps the ids Redis already holds', () => {
    expect(jobIds.detect(12)).toBe('frame-12');
    expect(jobIds.rules(12)).toBe('rules-12');
    expect(jobIds.rulesWait(CAMERA, 7, 3)).toBe(`rules-wait-${CAMERA}-7-3`);
    expect(jobIds.rulesSweep(CAMERA, 3)).toBe(`rules-sweep-${CAMERA}-3`);
    expect(jobIds.deliver('d1')).toBe('deliver-d1');
    expect(jobIds.spotCheck('s1')).toBe('spot-check-s1');
    expect(jobIds.scheduler('case-sweep')).toBe('case-sweep-every');
    expect(jobIds.evidence(KEY)).toMatch(/^evidence-[0-9a-f]{32}$/);
  });
});
