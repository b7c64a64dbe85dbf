import { describe, expect, it } from 'vitest';
import {
  addressMatches,
  distanceM,
  maskName,
  maskPhone,
  mayViewReporter,
  normalizePlace,
  outcomeInTime,
  placeKey,
} from './complaint-rules.js';

describe('complaint rules', () => {
  it('masks names and phone numbers', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧***');
    expect(maskName(null)).toBeNull();
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('5551234')).toBe('*****34');
  });

  it('compares places without spaces, punctuation or full-width forms', () => {
    expect(normalizePlace('浦东新区 世纪大道１００号。')).toBe(normalizePlace('浦东新区世纪大道100号'));
    expect(placeKey('某路1号', null)).toBe('text:某路1号');
    expect(placeKey('某路1号', 'abc')).toBe('party:abc');
    expect(addressMatches('浦东新区张杨路100号门口', '浦东新区张杨路100号')).toBe(true);
    expect(addressMatches('浦东新区张杨路100号', '路')).toBe(false);
  });

  it('lets only the roles that must contact the reporter see them', () => {
    expect(mayViewReporter('district_staff')).toBe(true);
    expect(mayViewReporter('agency_head')).toBe(true);
    expect(mayViewReporter('admin')).toBe(false);
    expect(mayViewReporter('legal_reviewer')).toBe(false);
  });

  it('holds a transfer to three working days and the rest to five', () => {
    const d = { replyDueOn: '2027-01-07', transferDueOn: '2027-01-05' };
    expect(outcomeInTime('transferred', '2027-01-06', d)).toBe(false);
    expect(outcomeInTime('substantiated', '2027-01-06', d)).toBe(true);
  });

  it('measures metres between points', () => {
    expect(Math.round(distanceM({ lat: 31.3, lon: 121.6 }, { lat: 31.3002, lon: 121.6001 }))).toBeLessThan(
      50,
    );
  });
});
