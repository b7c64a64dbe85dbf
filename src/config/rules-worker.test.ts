import { describe, expect, it } from 'vitest';
import { rulesWorkerSettings } from './rules-worker.js';

describe('rulesWorkerSettings', () => {
  it('has working defaults', () => {
    const s = rulesWorkerSettings({});
    expect(s.frameRetentionMinutes).toBe(60);
    expect(s.gapTimeoutSeconds).toBe(90);
    expect(s.rulesConcurrency).toBeGreaterThanOrEqual(1);
  });

  it('reads the variables given', () => {
    const s = rulesWorkerSettings({ FRAME_RETENTION_MINUTES: '15', RULES_GAP_TIMEOUT_SECONDS: '20' });
    expect(s.frameRetentionMinutes).toBe(15);
    expect(s.gapTimeoutSeconds).toBe(20);
  });

  it('names the variable of a bad value', () => {
    expect(() => rulesWorkerSettings({ FRAME_RETENTION_MINUTES: 'an hour' })).toThrow(
      /FRAME_RETENTION_MINUTES must be a whole number, got "an hour"/,
    );
    expect(() => rulesWorkerSettings({ RULES_CONCURRENCY: '0' })).toThrow(
      /RULES_CONCURRENCY must be between 1 and 64, got 0/,
    );
  });
});
