import { describe, expect, it } from 'vitest';
import { announcementEffectiveOn, announcementRefusal, maskPartyName } from './announcement-rules.js';

describe('service by announcement (Shanghai enforcement regulation art. 25)', () => {
  const base = { received: false, partyHasAddress: true };

  it('is allowed once the online deliveries failed and the post came back', () => {
    expect(
      announcementRefusal({
        ...base,
        deliveries: [
          { channel: 'sms', status: 'failed' },
          { channel: 'email', status: 'fallback' },
          { channel: 'postal', status: 'failed' },
        ],
      }),
    ).toBeNull();
  });

  it('is allowed without an address to post to when nothing else could be sent', () => {
    expect(
      announcementRefusal({
        received: false,
        partyHasAddress: false,
        deliveries: [{ channel: 'postal', status: 'fallback' }],
      }),
    ).toBeNull();
  });

  it('is refused before the other means were tried or while they are under way', () => {
    expect(announcementRefusal({ ...base, deliveries: [] })).toBe('postal_not_tried');
    expect(announcementRefusal({ ...base, deliveries: [{ channel: 'postal', status: 'fallback' }] })).toBe(
      'postal_not_tried',
    );
    expect(
      announcementRefusal({
        ...base,
        deliveries: [
          { channel: 'sms', status: 'sent' },
          { channel: 'postal', status: 'failed' },
        ],
      }),
    ).toBe('delivery_under_way');
    expect(announcementRefusal({ ...base, deliveries: [{ channel: 'sms', status: 'pending' }] })).toBe(
      'delivery_under_way',
    );
  });

  it('is refused once the document reached the party', () => {
    expect(announcementRefusal({ ...base, received: true, deliveries: [] })).toBe('already_received');
    expect(
      announcementRefusal({
        ...base,
        deliveries: [
          { channel: 'sms', status: 'delivered' },
          { channel: 'postal', status: 'failed' },
        ],
      }),
    ).toBe('already_received');
  });

  it('takes effect sixty days after the day of publication ("自发出公告之日起，经过六十日，即视为送达")', () => {
    expect(announcementEffectiveOn('2026-03-01')).toBe('2026-04-30');
    expect(announcementEffectiveOn('2026-12-15')).toBe('2027-02-13');
  });

  it('masks the party name', () => {
    expect(maskPartyName('李小明', 'person')).toBe('李某某');
    expect(maskPartyName('王记早餐', 'unit')).toBe('王记＊餐');
    expect(maskPartyName('上海某某餐饮管理有限公司', 'unit')).toBe('上海＊＊＊＊＊＊司');
    expect(maskPartyName('张记', 'unit')).toBe('张＊');
  });
});
