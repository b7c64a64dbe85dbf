import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../law/calendar.js';
import { checkFieldPhoto, fieldTaskDueOn, geoUri, isOverdue } from './field-task-rules.js';

const calendar = createWorkingCalendar({
  name: 'test',
  reviewNotice: 'test',
  years: [
    {
      year: 2026,
      status: 'official',
      source: 'test',
      holidays: [{ name: '国庆节', from: '2026-10-01', to: '2026-10-02' }],
      makeUpWorkdays: [],
    },
  ],
});

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);
const PDF = Buffer.from('%PDF-1.4 x');

describe('field task rules', () => {
  it('is due two working days after the day it is made, skipping weekends and holidays', () => {
    expect(fieldTaskDueOn(calendar, '2026-09-28')).toBe('2026-09-30'); // Monday -> Wednesday
    expect(fieldTaskDueOn(calendar, '2026-09-25')).toBe('2026-09-29'); // Friday -> Tuesday
    expect(fieldTaskDueOn(calendar, '2026-09-30')).toBe('2026-10-06'); // over the holidays and the weekend
  });

  it('takes JPEG and PNG photos by their bytes and refuses anything else', () => {
    expect(checkFieldPhoto('a.jpg', JPEG, 0).contentType).toBe('image/jpeg');
    expect(checkFieldPhoto('a.png', PNG, 1).contentType).toBe('image/png');
    expect(() => checkFieldPhoto('a.pdf', PDF, 0)).toThrow(/not a JPEG or PNG/);
    expect(() => checkFieldPhoto('a.jpg', Buffer.from('MZ not'), 0)).toThrow(/not a JPEG or PNG/);
    expect(() => checkFieldPhoto('e.jpg', Buffer.alloc(0), 0)).toThrow(/empty/);
    expect(() => checkFieldPhoto('f.jpg', JPEG, 4)).toThrow(/at most 4/);
  });

  it('links the place with a geo: URI, or nothing without coordinates', () => {
    expect(geoUri(31.2304, 121.4737, '世纪大道')).toBe(
      'geo:31.230400,121.473700?q=31.230400,121.473700(%E4%B8%96%E7%BA%AA%E5%A4%A7%E9%81%93)',
    );
    expect(geoUri(null, 121.4, 'x')).toBeNull();
  });

  it('is overdue only after its due day', () => {
    expect(isOverdue('2026-09-30', '2026-09-30')).toBe(false);
    expect(isOverdue('2026-09-30', '2026-10-01')).toBe(true);
  });
});
