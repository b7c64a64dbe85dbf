import { describe, expect, it } from 'vitest';
import { graceEndsAt, warningReach, type WarningDeliveryFact } from './warning-reach.js';

const t = (s: number) => new Date(Date.UTC(2026, 2, 2, 2, 0, s));
const fact = (over: Partial<WarningDeliveryFact>): WarningDeliveryFact => ({
  channel: 'sms',
  status: 'pending',
  sentAt: null,
  deliveredAt: null,
  lastError: null,
  ...over,
});

describe('warningReach', () => {
  it('counts from the earliest receipt, then from the send when no receipt came', () => {
    const reach = warningReach([
      fact({ status: 'delivered', sentAt: t(1), deliveredAt: t(40) }),
      fact({ channel: 'email', status: 'delivered', sentAt: t(2), deliveredAt: t(3) }),
    ]);
    expect(reach).toEqual({ state: 'told', at: t(3), channel: 'email', by: 'receipt' });
    expect(graceEndsAt(reach, 30_000)).toEqual(t(33));
    expect(warningReach([fact({ status: 'sent', sentAt: t(5) }), fact({ channel: 'email' })])).toEqual({
      state: 'told',
      at: t(5),
      channel: 'sms',
      by: 'sent',
    });
  });

  it('waits while a delivery is still tried', () => {
    expect(warningReach([fact({ status: 'failed' }), fact({ channel: 'email' })])).toEqual({
      state: 'pending',
    });
    expect(graceEndsAt({ state: 'pending' }, 30_000)).toBeNull();
  });

  it('is undelivered when every channel failed or went to post, saying how', () => {
    const reach = warningReach([
      fact({ status: 'failed', sentAt: t(1), lastError: 'number does not exist' }),
      fact({ channel: 'postal', status: 'fallback', lastError: 'postal delivery is done by staff' }),
    ]);
    expect(reach).toEqual({
      state: 'undelivered',
      why: 'sms: failed (number does not exist); postal: fallback (postal delivery is done by staff)',
    });
    expect(warningReach([])).toMatchObject({ state: 'undelivered' });
  });

  describe('with voice calls (Pudong art. 15: 短信告知或者语音电话)', () => {
    const failedSms = fact({ status: 'failed', sentAt: t(1), lastError: 'number does not exist' });

    it('counts from an answered call when no SMS reached the party', () => {
      const reach = warningReach([failedSms], [{ outcome: 'answered', calledAt: t(20) }]);
      expect(reach).toEqual({ state: 'told', at: t(20), channel: 'voice_call', by: 'call' });
      expect(graceEndsAt(reach, 30_000)).toEqual(t(50));
    });

    it('keeps an earlier SMS receipt, and takes a call made before the receipt', () => {
      const delivered = fact({ status: 'delivered', sentAt: t(1), deliveredAt: t(5) });
      expect(warningReach([delivered], [{ outcome: 'answered', calledAt: t(9) }])).toMatchObject({
        at: t(5),
        by: 'receipt',
      });
      expect(warningReach([delivered], [{ outcome: 'answered', calledAt: t(3) }])).toMatchObject({
        at: t(3),
        by: 'call',
      });
    });

    it('leaves the reach as before when the call was not answered', () => {
      expect(warningReach([failedSms], [{ outcome: 'no_answer', calledAt: t(20) }])).toMatchObject({
        state: 'undelivered',
      });
      const sent = fact({ status: 'sent', sentAt: t(2) });
      expect(warningReach([sent], [{ outcome: 'no_answer', calledAt: t(1) }])).toMatchObject({ by: 'sent' });
    });

    it('waits for a call not yet made when nothing else reached the party', () => {
      expect(warningReach([failedSms], [{ outcome: null, calledAt: null }])).toEqual({ state: 'pending' });
    });
  });
});
