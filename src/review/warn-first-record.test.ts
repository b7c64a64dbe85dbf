import { describe, expect, it } from 'vitest';
import { formatDuration, warnFirstRecord, type WarningDeliveryFact } from './warn-first-record.js';

const written = new Date('2026-11-20T02:00:00Z');
const plus = (ms: number) => new Date(written.getTime() + ms);
const MIN = 60_000;

function sms(over: Partial<WarningDeliveryFact> = {}): WarningDeliveryFact {
  return {
    channel: 'sms',
    status: 'delivered',
    sentAt: plus(2_000),
    deliveredAt: plus(5_000),
    lastError: null,
    ...over,
  };
}

describe('warnFirstRecord', () => {
  it('has no concern when the warning reached the party at once and the re-check found the goods still out', () => {
    const record = warnFirstRecord({
      graceMs: 10 * MIN,
      warningWrittenAt: written,
      deliveries: [sms()],
      recheck: { outcome: 'escalate', decidedAt: plus(10 * MIN + 30_000).toISOString() },
    });
    expect(record.concerns).toEqual([]);
    expect(record.firstDelivered).toEqual({ at: plus(5_000), channel: 'sms' });
    expect(record.timeToCorrectMs).toBe(10 * MIN - 5_000);
    expect(record.timeline.map((t) => t.what)).toEqual([
      'warning written: correct within 10 min',
      'warning sent by sms',
      'warning delivered by sms',
      're-check after the grace period: still there, sent to review',
    ]);
  });

  it('says how much of the grace period was left when the warning arrived late, from the first channel that got through', () => {
    const record = warnFirstRecord({
      graceMs: 10 * MIN,
      warningWrittenAt: written,
      deliveries: [
        sms({ deliveredAt: plus(7 * MIN) }),
        {
          channel: 'email',
          status: 'delivered',
          sentAt: plus(MIN),
          deliveredAt: plus(4 * MIN),
          lastError: null,
        },
      ],
      recheck: { outcome: 'escalate', decidedAt: plus(11 * MIN).toISOString() },
    });
    expect(record.firstDelivered?.channel).toBe('email');
    expect(record.concerns).toEqual([
      'The warning reached the party (email) 4 min after it was written: it had 6 min of the 10 min grace period to correct.',
    ]);
  });

  it('says when the warning arrived only after the grace period had ended', () => {
    const record = warnFirstRecord({
      graceMs: 15 * MIN,
      warningWrittenAt: written,
      deliveries: [sms({ deliveredAt: plus(2 * 3600_000 + 30_000) })],
      recheck: { outcome: 'escalate', decidedAt: plus(16 * MIN).toISOString() },
    });
    expect(record.timeToCorrectMs).toBeLessThan(0);
    expect(record.concerns).toEqual([
      'The warning reached the party (sms) 2 h 30 s after it was written, after the grace period of 15 min had ended.',
    ]);
  });

  it('names every failed or unconfirmed delivery when none got through', () => {
    const record = warnFirstRecord({
      graceMs: 10 * MIN,
      warningWrittenAt: written,
      deliveries: [
        sms({ status: 'failed', deliveredAt: null, lastError: 'gateway answered 503' }),
        { channel: 'email', status: 'sent', sentAt: plus(MIN), deliveredAt: null, lastError: null },
      ],
      recheck: { outcome: 'escalate', decidedAt: plus(11 * MIN).toISOString() },
    });
    expect(record.timeToCorrectMs).toBeNull();
    expect(record.concerns).toEqual([
      'No delivery of the warning is confirmed (sms: failed (gateway answered 503); email: sent): the party may not have known it had to correct.',
    ]);
  });

  it('reports a warning written after the re-check, a missing notice and an unchecked re-check', () => {
    const late = warnFirstRecord({
      graceMs: 30_000,
      warningWrittenAt: written,
      deliveries: [sms()],
      recheck: { outcome: 'escalate', decidedAt: plus(-MIN).toISOString(), warnedAfterRecheck: true },
    });
    expect(late.concerns[0]).toMatch(/written only after the re-check had decided/);
    expect(late.timeline[0]!.what).toMatch(/re-check/);

    const none = warnFirstRecord({
      graceMs: 30_000,
      warningWrittenAt: null,
      deliveries: [],
      recheck: { outcome: 'unchecked', decidedAt: plus(MIN).toISOString(), note: 'camera offline' },
    });
    expect(none.concerns).toEqual([
      'No warning notice is recorded for this violation.',
      'The re-check could not be made: camera offline',
    ]);
  });

  it('says when the warning reached no one and the re-check therefore did not close the violation', () => {
    const record = warnFirstRecord({
      graceMs: 30_000,
      warningWrittenAt: written,
      deliveries: [sms({ status: 'failed', lastError: 'number does not exist' })],
      recheck: { outcome: 'corrected', decidedAt: plus(MIN).toISOString(), warningUndelivered: true },
    });
    expect(record.concerns).toContain(
      'The warning could not be delivered: the party was never told to correct, so the violation was not ' +
        'closed as corrected although the re-check found the scene gone.',
    );
    expect(record.timeline.at(-1)!.what).toBe(
      're-check after the grace period: gone, but the warning never reached the party, sent to review',
    );
    expect(record.concernSteps).toContainEqual({ kind: 'warning_undelivered', corrected: true });
    expect(record.timeline.at(-1)!.step).toEqual({ kind: 'recheck_undelivered' });
  });

  it('allows a tenth of a short grace period for delivery, and no more', () => {
    const facts = (deliveredAfterMs: number) =>
      warnFirstRecord({
        graceMs: 30_000,
        warningWrittenAt: written,
        deliveries: [sms({ deliveredAt: plus(deliveredAfterMs) })],
        recheck: null,
      });
    expect(facts(2_000).concerns).toEqual([]);
    expect(facts(4_000).concerns).toEqual([
      'The warning reached the party (sms) 4 s after it was written: it had 26 s of the 30 s grace period to correct.',
    ]);
  });

  it('formats durations in hours, minutes and seconds', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(10 * MIN)).toBe('10 min');
    expect(formatDuration(3600_000 + 61_000)).toBe('1 h 1 min 1 s');
  });
});
