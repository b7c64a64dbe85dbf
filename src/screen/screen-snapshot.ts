import type { AlertRow } from '../alerts/alert.repo.js';
import { cameraStatus, type CameraStatus } from '../cameras/camera-status.js';
import { formatYuan } from '../law/money.js';
import type { StaffI18n } from '../web/i18n/index.js';
import {
  backlogAgeMs,
  backlogLevel,
  compare,
  formatCount,
  formatDelta,
  formatFenDelta,
  type Trend,
} from './screen-figures.js';
import { fitProjection, scaleBar } from './screen-map.js';
import type { Backlog, DayCounts, ScreenCameraRow } from './screen.repo.js';

/**
 * What the command screen shows, built from the read model's rows for one reader's language. The page is first
 * drawn from a snapshot (screen.view.ts) and every later snapshot, sent on the stream as JSON, updates it in
 * place (public/js/screen.js), so both read the same words and numbers. Pure: no I/O.
 */

/** How many camera tiles fit the wall (6 x 4 at 1920x1080); the rest are counted, problems shown first. */
export const MAX_TILES = 24;
/** How many alerts fit their panel; the rest are counted. */
export const MAX_ALERTS = 6;
/** The map's drawing, in SVG units (the element scales it to its panel). */
export const MAP_BOX = { width: 800, height: 420, padding: 24 };

export interface ScreenData {
  now: Date;
  district: { id: string | null; name: string | null };
  counts: DayCounts;
  backlog: Backlog;
  cameras: ScreenCameraRow[];
  alerts: AlertRow[];
}

export type FigureId = 'frames' | 'violations' | 'reviews' | 'cases' | 'payments';

export interface FigureView {
  id: FigureId;
  label: string;
  /** the big number */
  value: string;
  /** a second line under it (the payments' count) */
  sub: string;
  yesterday: string;
  delta: string;
  trend: Trend;
}

export interface TileView {
  id: string;
  name: string;
  status: CameraStatus;
  statusText: string;
  enabled: boolean;
  /** changes when the camera has a newer frame; null before its first */
  frame: string | null;
}

export interface MapPoint {
  id: string;
  name: string;
  x: number;
  y: number;
  status: CameraStatus;
}

export interface AlertView {
  id: string;
  kind: string;
  severity: string;
  severityText: string;
  stateText: string;
  subject: string;
  opened: string;
}

export interface ScreenSnapshot {
  at: string;
  atText: string;
  districtId: string | null;
  districtName: string;
  figures: FigureView[];
  backlog: { value: string; stages: string; oldest: string; level: 'ok' | 'warn' | 'late' };
  cameras: { counts: string; tiles: TileView[]; more: string };
  map: {
    points: MapPoint[];
    unplaced: string;
    scale: { units: number; text: string } | null;
  };
  alerts: { items: AlertView[]; more: string; total: number };
}

const STATUS_ORDER: Record<CameraStatus, number> = { failing: 0, offline: 1, stale: 2, online: 3 };

function figure(
  id: FigureId,
  label: string,
  today: number,
  yesterday: number,
  t: StaffI18n['t'],
): FigureView {
  const c = compare(today, yesterday);
  return {
    id,
    label,
    value: formatCount(today),
    sub: '',
    yesterday: t('screen.yesterday', { value: formatCount(yesterday) }),
    delta: formatDelta(c),
    trend: c.trend,
  };
}

function figures(data: ScreenData, i18n: StaffI18n): FigureView[] {
  const { t } = i18n;
  const { counts } = data;
  const paid = compare(counts.paidFen.today, counts.paidFen.yesterday);
  return [
    figure('frames', t('screen.fig.frames'), counts.frames.today, counts.frames.yesterday, t),
    figure('violations', t('screen.fig.violations'), counts.violations.today, counts.violations.yesterday, t),
    figure('reviews', t('screen.fig.reviews'), counts.reviewsDone.today, counts.reviewsDone.yesterday, t),
    figure('cases', t('screen.fig.cases'), counts.casesFiled.today, counts.casesFiled.yesterday, t),
    {
      id: 'payments',
      label: t('screen.fig.payments'),
      value: formatYuan(paid.today),
      sub: t('screen.paymentsCount', { count: formatCount(counts.payments.today) }),
      yesterday: t('screen.yesterday', {
        value: `${formatYuan(paid.yesterday)} / ${t('screen.paymentsCount', { count: formatCount(counts.payments.yesterday) })}`,
      }),
      delta: formatFenDelta(paid),
      trend: paid.trend,
    },
  ];
}

function cameraViews(rows: ScreenCameraRow[], now: Date, i18n: StaffI18n) {
  const all = rows.map((r) => ({
    row: r,
    status: cameraStatus({
      lastFrameAt: r.lastFrameAt,
      lastErrorAt: r.lastErrorAt,
      sampleIntervalS: r.sampleIntervalS,
      now,
    }),
  }));
  const count = (s: CameraStatus) => formatCount(all.filter((c) => c.status === s).length);
  const sorted = [...all].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.row.name.localeCompare(b.row.name, 'zh'),
  );
  const tiles: TileView[] = sorted.slice(0, MAX_TILES).map(({ row, status }) => ({
    id: row.id,
    name: row.name,
    status,
    statusText: row.enabled ? i18n.label('cameraStatus', status) : i18n.t('screen.cameraDisabled'),
    enabled: row.enabled,
    frame: row.latestFrame ? row.latestFrame.slice(0, 16) : null,
  }));
  const hidden = all.length - tiles.length;
  const placed = all.filter(
    (c): c is typeof c & { row: { latitude: number; longitude: number } } =>
      c.row.latitude !== null && c.row.longitude !== null,
  );
  const projection = fitProjection(
    placed.map((c) => c.row),
    MAP_BOX,
  );
  const points: MapPoint[] = placed.map(({ row, status }) => {
    const { x, y } = projection.project(row);
    return { id: row.id, name: row.name, x: Math.round(x * 10) / 10, y: Math.round(y * 10) / 10, status };
  });
  let scale: ScreenSnapshot['map']['scale'] = null;
  if (projection.metresPerUnit !== null) {
    const bar = scaleBar(projection.metresPerUnit, MAP_BOX.width / 4);
    scale = {
      units: Math.round(bar.units * 10) / 10,
      text:
        bar.metres >= 1000
          ? i18n.t('screen.scaleKm', { n: bar.metres / 1000 })
          : i18n.t('screen.scaleM', { n: bar.metres }),
    };
  }
  const unplaced = all.length - placed.length;
  return {
    cameras: {
      counts: i18n.t('screen.cameraCounts', {
        online: count('online'),
        stale: count('stale'),
        offline: count('offline'),
        failing: count('failing'),
      }),
      tiles,
      more: hidden > 0 ? i18n.t('screen.moreCameras', { n: hidden }) : '',
    },
    map: {
      points,
      unplaced:
        placed.length === 0
          ? i18n.t('screen.mapEmpty')
          : unplaced > 0
            ? i18n.t('screen.mapUnplaced', { n: unplaced })
            : '',
      scale,
    },
  };
}

function alertViews(alerts: AlertRow[], i18n: StaffI18n): ScreenSnapshot['alerts'] {
  const { t } = i18n;
  const items = alerts.slice(0, MAX_ALERTS).map((a) => ({
    id: a.id,
    kind: t(`screen.alert.${a.kind}`),
    severity: a.severity,
    severityText: t(`screen.severity.${a.severity}`),
    stateText: t(a.state === 'acknowledged' ? 'screen.alertState.acknowledged' : 'screen.alertState.open'),
    subject: a.cameraName ?? (a.districtId === null ? t('screen.alertCityWide') : a.subject),
    opened: i18n.time(a.openedAt, false),
  }));
  const more = alerts.length - items.length;
  return { items, more: more > 0 ? t('screen.alertsMore', { n: more }) : '', total: alerts.length };
}

export function buildSnapshot(data: ScreenData, i18n: StaffI18n): ScreenSnapshot {
  const { t } = i18n;
  const age = backlogAgeMs(data.backlog.oldestCreatedAt, data.now);
  return {
    at: data.now.toISOString(),
    atText: i18n.time(data.now),
    districtId: data.district.id,
    districtName: data.district.name ?? t('screen.city'),
    figures: figures(data, i18n),
    backlog: {
      value: formatCount(data.backlog.open),
      stages: t('screen.backlogStages', {
        evidence: formatCount(data.backlog.evidence),
        legal: formatCount(data.backlog.legal),
      }),
      oldest: age === null ? t('screen.backlogNone') : t('screen.backlogOldest', { age: i18n.duration(age) }),
      level: backlogLevel(age),
    },
    ...cameraViews(data.cameras, data.now, i18n),
    alerts: alertViews(data.alerts, i18n),
  };
}
