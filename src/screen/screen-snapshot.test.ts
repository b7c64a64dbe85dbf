import { describe, expect, it } from 'vitest';
import type { AlertRow } from '../alerts/alert.repo.js';
import { staffI18n } from '../web/i18n/index.js';
import { buildSnapshot, MAX_ALERTS, MAX_TILES, type ScreenData } from './screen-snapshot.js';
import type { ScreenCameraRow } from './screen.repo.js';

const NOW = new Date('2026-03-05T04:05:00Z'); // 12:05 in Beijing

function camera(i: number, over: Partial<ScreenCameraRow> = {}): ScreenCameraRow {
  return {
    id: `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`,
    name: `cam ${String(i).padStart(2, '0')}`,
    districtId: 'pudong',
    latitude: null,
    longitude: null,
    enabled: true,
    sampleIntervalS: 5,
    lastFrameAt: new Date(NOW.getTime() - 2_000),
    lastErrorAt: null,
    latestFrame: 'ab'.repeat(32),
    ...over,
  };
}

function alert(i: number): AlertRow {
  return {
    id: `a${i}`,
    kind: 'camera_offline',
    subject: `camera:${i}`,
    districtId: 'pudong',
    cameraId: null,
    cameraName: null,
    severity: 'warning',
    state: i % 2 ? 'acknowledged' : 'open',
    detail: {},
    openedAt: new Date('2026-03-05T01:00:00Z'),
    lastSeenAt: NOW,
    acknowledgedAt: null,
    resolvedAt: null,
  };
}

function data(over: Partial<ScreenData> = {}): ScreenData {
  const ty = (today: number, yesterday: number) => ({ today, yesterday });
  return {
    now: NOW,
    district: { id: 'pudong', name: '浦东新区' },
    counts: {
      frames: ty(1200, 1000),
      violations: ty(3, 4),
      reviewsDone: ty(0, 0),
      casesFiled: ty(2, 1),
      payments: ty(1, 0),
      paidFen: ty(20_000, 0),
    },
    backlog: { open: 0, evidence: 0, legal: 0, oldestCreatedAt: null },
    cameras: [camera(1)],
    alerts: [],
    ...over,
  };
}

describe('the screen snapshot', () => {
  it('words every figure in Chinese, money in 元', () => {
    const s = buildSnapshot(data(), staffI18n('zh'));
    expect(s.atText).toBe('2026-03-05 12:05:00 (UTC+8)');
    expect(s.figures.map((f) => [f.id, f.value, f.delta, f.trend])).toEqual([
      ['frames', '1,200', '+200 (+20%)', 'up'],
      ['violations', '3', '-1 (-25%)', 'down'],
      ['reviews', '0', '±0', 'same'],
      ['cases', '2', '+1 (+100%)', 'up'],
      ['payments', '200元', '+200元', 'up'],
    ]);
    expect(s.figures[4]).toMatchObject({ sub: '1 笔', yesterday: '昨日同时段 0元 / 0 笔' });
    expect(s.backlog).toEqual({
      value: '0',
      stages: '证据审核 0 · 法制审核 0',
      oldest: '无积压',
      level: 'ok',
    });
  });

  it('speaks English to a reader who chose it, and names the whole city', () => {
    const s = buildSnapshot(data({ district: { id: null, name: null } }), staffI18n('en'));
    expect(s.districtName).toBe('Whole city');
    expect(s.figures[1]).toMatchObject({ label: 'Violations today', yesterday: 'Yesterday by now 4' });
    expect(s.cameras.tiles[0]!.statusText).toBe('Online');
  });

  it('shows problems first, as many tiles as fit, and counts the rest', () => {
    const cams = Array.from({ length: 30 }, (_, i) => camera(i + 1));
    cams[20] = camera(21, { lastFrameAt: null }); // never sent a frame: offline
    cams[25] = camera(26, { lastErrorAt: new Date(NOW.getTime() - 1_000) }); // failing
    cams[28] = camera(29, { enabled: false, lastFrameAt: null });
    const s = buildSnapshot(data({ cameras: cams }), staffI18n('zh'));
    expect(s.cameras.tiles).toHaveLength(MAX_TILES);
    expect(s.cameras.tiles.slice(0, 3).map((t) => [t.name, t.status, t.statusText])).toEqual([
      ['cam 26', 'failing', '故障'],
      ['cam 21', 'offline', '离线'],
      ['cam 29', 'offline', '已停用'],
    ]);
    expect(s.cameras.more).toBe('另有 6 路未显示（异常优先显示）');
    expect(s.cameras.counts).toBe('在线 27 · 滞后 0 · 离线 2 · 故障 1');
    expect(s.cameras.tiles[3]!.frame).toBe('ab'.repeat(8));
  });

  it('places cameras with coordinates on the map and counts the others', () => {
    const cams = [
      camera(1, { latitude: 31.2, longitude: 121.5 }),
      camera(2, { latitude: 31.25, longitude: 121.55 }),
      camera(3),
    ];
    const s = buildSnapshot(data({ cameras: cams }), staffI18n('zh'));
    expect(s.map.points.map((p) => p.id)).toEqual([cams[0]!.id, cams[1]!.id]);
    expect(s.map.unplaced).toBe('1 路未标注坐标');
    expect(s.map.scale?.text).toMatch(/^(\d+ 公里|\d+ 米)$/);
    const none = buildSnapshot(data({ cameras: [camera(3)] }), staffI18n('zh'));
    expect(none.map).toEqual({ points: [], unplaced: '没有标注坐标的摄像头', scale: null });
  });

  it('lists the alerts that fit and counts the rest', () => {
    const s = buildSnapshot(data({ alerts: Array.from({ length: 9 }, (_, i) => alert(i)) }), staffI18n('zh'));
    expect(s.alerts.items).toHaveLength(MAX_ALERTS);
    expect(s.alerts.total).toBe(9);
    expect(s.alerts.more).toBe('另有 3 条');
    expect(s.alerts.items[0]).toMatchObject({
      kind: '摄像头离线',
      severityText: '警告',
      stateText: '待处理',
      subject: 'camera:0',
      opened: '2026-03-05 09:00 (UTC+8)',
    });
    expect(s.alerts.items[1]!.stateText).toBe('已确认');
  });
});
