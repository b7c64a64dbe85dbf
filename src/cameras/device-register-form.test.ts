import { describe, expect, it } from 'vitest';
import { readRecordForm, readRegisterForm } from './device-register-form.js';

describe('the device register forms', () => {
  it('reads the register entry, an emptied field clearing it', () => {
    expect(
      readRegisterForm({ certificateId: ' C-1 ', legalReviewDate: '2026-10-01', published: 'on' }),
    ).toEqual({
      patch: {
        certificateId: 'C-1',
        legalReviewDate: '2026-10-01',
        legalReviewer: null,
        technicalReviewDate: null,
        technicalReviewer: null,
        published: true,
      },
    });
    expect(readRegisterForm({ technicalReviewDate: '2026-02-29' })).toEqual({
      faults: { technicalReviewDate: 'registerForm.error.date' },
    });
  });

  it('reads a record in Beijing time and names the faults', () => {
    expect(
      readRecordForm({ kind: 'test', performedAt: '2026-10-03T09:00', performedBy: 'W', result: 'pass' }),
    ).toEqual({
      record: { kind: 'test', performedAt: '2026-10-03T09:00:00+08:00', performedBy: 'W', result: 'pass' },
    });
    expect(readRecordForm({ kind: 'repair', performedAt: '2026-13-03T09:00', result: 'ok' })).toEqual({
      faults: {
        kind: 'registerForm.error.kind',
        result: 'registerForm.error.result',
        performedAt: 'registerForm.error.performedAt',
        performedBy: 'registerForm.error.performedBy',
      },
    });
  });
});
