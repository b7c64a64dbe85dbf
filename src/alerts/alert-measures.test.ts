import { describe, expect, it } from 'vitest';
import { staffI18n } from '../web/i18n/index.js';
import { subjects, volumeSeries } from './alert-measures.js';
import { noticeText, subjectText } from './alert-notice.js';
import type { AlertRow } from './alert.repo.js';

describe('volumeSeries', () => {
  const row = (week: number, rule: string | null, n: number) => ({
    cameraId: 'c1',
    districtId: 'pudong',
    week,
    rule,
    n,
  });

  it('one series per camera and one per camera and rule; a week without a rule counts zero', () => {
    const series = volumeSeries([
      row(0, 'street_stall', 9),
      row(0, 'illegal_dumping', 1),
      row(1, 'street_stall', 3),
      row(2, null, 0),
      row(3, 'illegal_dumping', 2),
    ]);
    expect(series).toEqual([
      expect.objectContaining({ subject: subjects.camera('c1'), current: 10, baseline: [3, 0, 2] }),
      expect.objectContaining({ subject: 'camera:c1:rule:illegal_dumping', current: 1, baseline: [0, 0, 2] }),
      expect.objectContaining({ subject: 'camera:c1:rule:street_stall', current: 9, baseline: [3, 0, 0] }),
    ]);
  });

  it('weeks before the camera existed are not in the baseline, and a camera without the current hour is not judged', () => {
    expect(volumeSeries([row(0, null, 0), row(1, null, 0)])[0]!.baseline).toEqual([0]);
    expect(volumeSeries([row(1, 'street_stall', 4)])).toEqual([]);
  });
});

describe('alert words', () => {
  const alert: AlertRow = {
    id: 'a1',
    kind: 'camera_offline',
    subject: 'camera:c1',
    districtId: 'pudong',
    cameraId: 'c1',
    cameraName: '陆家嘴路口',
    severity: 'critical',
    state: 'resolved',
    detail: {},
    openedAt: new Date('2026-12-01T00:00:00Z'),
    lastSeenAt: new Date('2026-12-01T01:00:00Z'),
    acknowledgedAt: null,
    resolvedAt: new Date('2026-12-01T02:00:00Z'),
  };

  it('names subjects as staff read them', () => {
    const zh = staffI18n('zh');
    expect(subjectText(zh, alert)).toBe('摄像头 陆家嘴路口');
    expect(subjectText(zh, { ...alert, subject: 'camera:c1:rule:street_stall' })).toContain('陆家嘴路口（');
    expect(subjectText(zh, { ...alert, subject: 'queue:detect', cameraName: null })).toBe('处理队列 detect');
    expect(subjectText(zh, { ...alert, subject: 'district:pudong:backlog' }, '浦东新区')).toBe(
      '浦东新区 审核队列',
    );
    expect(subjectText(staffI18n('en'), { ...alert, subject: 'detector' })).toBe('Detection service');
  });

  it('writes the opening and resolution notices in Beijing time with the link', () => {
    const opened = noticeText('zh', 'opened', alert, 'https://x/staff/alerts/a1');
    expect(opened.subject).toBe('城管告警：摄像头离线');
    expect(opened.text).toContain('2026-12-01 08:00');
    expect(opened.text).toContain('严重');
    expect(opened.text).toContain('https://x/staff/alerts/a1');
    const resolved = noticeText('en', 'resolved', alert, 'https://x/staff/alerts/a1');
    expect(resolved.text).toContain('[Alert resolved] Camera offline');
    expect(resolved.text).toContain('2026-12-01 10:00');
  });
});
