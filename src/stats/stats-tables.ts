import type { MessageKey, StaffI18n } from '../web/i18n/index.js';
import type {
  CasesFigures,
  ComplaintFigures,
  OverviewFigures,
  PaymentFigures,
  PipelineFigures,
} from './stats-figures.js';
import { formatCell, type Cell, type ColumnKind } from './stats-cells.js';
import { periodDays, rate, type StatsPeriod } from './stats-period.js';
import type { StatsDimension } from './stats-query.js';

/**
 * Every table of the statistics pages as one shape, which the pages render and the exports write: headings
 * from the catalogue, cells as text or numbers. A number column says how it reads (a count, a share, days, 元).
 */

export interface StatsTable {
  id: StatsTableId;
  title: string;
  columns: { heading: string; kind: ColumnKind }[];
  rows: Cell[][];
}

export const STATS_TABLE_IDS = [
  'summary',
  'daily',
  'volume',
  'review',
  'warnFirst',
  'caseStates',
  'durations',
  'statements',
  'hearings',
  'afterDecision',
  'payments',
  'paymentRate',
  'complaints',
] as const;
export type StatsTableId = (typeof STATS_TABLE_IDS)[number];

/** The sections (tabs) of /staff/stats and the tables each shows. */
export const STATS_TABS = {
  overview: ['summary', 'daily'],
  pipeline: ['volume', 'review', 'warnFirst'],
  cases: ['caseStates', 'durations', 'statements', 'hearings', 'afterDecision'],
  payments: ['paymentRate', 'payments'],
  complaints: ['complaints'],
} as const satisfies Record<string, readonly StatsTableId[]>;
export type StatsTab = keyof typeof STATS_TABS;
export const STATS_TAB_NAMES = Object.keys(STATS_TABS) as StatsTab[];

/** The tab whose figures hold a table. */
export function tabOfTable(id: StatsTableId): StatsTab {
  return STATS_TAB_NAMES.find((tab) => (STATS_TABS[tab] as readonly string[]).includes(id))!;
}

const col = (i18n: StaffI18n, key: MessageKey, kind: ColumnKind = 'int') => ({
  heading: i18n.t(key as never),
  kind,
});

function keyLabel(i18n: StaffI18n, by: StatsDimension, key: string, name: string | null): string {
  switch (by) {
    case 'district':
    case 'camera':
      return name ?? key;
    case 'street':
      return key === '' ? i18n.t('stats.noStreet') : key;
    case 'rule':
      return i18n.label('rule', key);
    case 'type':
      return i18n.label('violationType', key);
  }
}

const DIMENSION_HEADING: Record<StatsDimension, MessageKey> = {
  district: 'stats.by.district',
  street: 'stats.by.street',
  camera: 'stats.by.camera',
  rule: 'stats.by.rule',
  type: 'stats.by.type',
};

export function volumeTable(f: PipelineFigures, i18n: StaffI18n): StatsTable {
  return {
    id: 'volume',
    title: i18n.t('stats.table.volume'),
    columns: [
      col(i18n, DIMENSION_HEADING[f.by], 'text'),
      col(i18n, 'stats.col.frames'),
      col(i18n, 'stats.col.detectedFrames'),
      col(i18n, 'stats.col.detectedObjects'),
      col(i18n, 'stats.col.candidates'),
      col(i18n, 'stats.col.violations'),
      col(i18n, 'stats.col.pendingReview'),
      col(i18n, 'stats.col.approved'),
      col(i18n, 'stats.col.rejected'),
    ],
    rows: f.rows.map(({ key, name }) => {
      const fr = f.frames.get(key);
      const v = f.violations.get(key);
      return [
        keyLabel(i18n, f.by, key, name),
        f.framesApply ? (fr?.frames ?? 0) : null,
        f.framesApply ? (fr?.detected_frames ?? 0) : null,
        f.framesApply ? (fr?.detected_objects ?? 0) : null,
        f.candidatesApply ? (f.candidates.get(key)?.candidates ?? 0) : null,
        v?.violations ?? 0,
        v?.pending_review ?? 0,
        v?.approved ?? 0,
        v?.rejected ?? 0,
      ];
    }),
  };
}

export function reviewTable(f: PipelineFigures, i18n: StaffI18n): StatsTable {
  return {
    id: 'review',
    title: i18n.t('stats.table.review'),
    columns: [
      col(i18n, DIMENSION_HEADING[f.by], 'text'),
      col(i18n, 'stats.col.reviewed'),
      col(i18n, 'stats.col.approved'),
      col(i18n, 'stats.col.rejected'),
      col(i18n, 'stats.col.moreEvidence'),
      col(i18n, 'stats.col.falsePositiveRate', 'rate'),
    ],
    rows: f.rows
      .filter(({ key }) => f.reviews.has(key))
      .map(({ key, name }) => {
        const r = f.reviews.get(key)!;
        return [
          keyLabel(i18n, f.by, key, name),
          r.reviewed,
          r.approved,
          r.rejected,
          r.more_evidence,
          rate(r.rejected, r.rejected + r.approved),
        ];
      }),
  };
}

export function warnFirstTable(f: PipelineFigures, i18n: StaffI18n): StatsTable {
  return {
    id: 'warnFirst',
    title: i18n.t('stats.table.warnFirst'),
    columns: [
      col(i18n, DIMENSION_HEADING[f.by], 'text'),
      col(i18n, 'stats.col.candidates'),
      col(i18n, 'stats.col.warned'),
      col(i18n, 'stats.col.corrected'),
      col(i18n, 'stats.col.escalated'),
      col(i18n, 'stats.col.withdrawn'),
      col(i18n, 'stats.col.unchecked'),
      col(i18n, 'stats.col.correctedShare', 'rate'),
    ],
    rows: !f.candidatesApply
      ? []
      : f.rows
          .filter(({ key }) => f.candidates.has(key))
          .map(({ key, name }) => {
            const c = f.candidates.get(key)!;
            return [
              keyLabel(i18n, f.by, key, name),
              c.candidates,
              c.warned,
              c.corrected,
              c.escalated,
              c.withdrawn,
              c.unchecked,
              rate(c.corrected, c.corrected + c.escalated),
            ];
          }),
  };
}

/** Violations per day, every day of the period (days without any show 0). */
export function dailyTable(f: PipelineFigures, period: StatsPeriod, i18n: StaffI18n): StatsTable {
  const byDay = new Map(f.daily.map((d) => [d.day, d.violations]));
  return {
    id: 'daily',
    title: i18n.t('stats.table.daily'),
    columns: [col(i18n, 'stats.col.day', 'text'), col(i18n, 'stats.col.violations')],
    rows: periodDays(period).map((day) => [day, byDay.get(day) ?? 0]),
  };
}

export function summaryTable(f: OverviewFigures, i18n: StaffI18n): StatsTable {
  const sum = <T>(m: Map<string, T>, pick: (x: T) => number) =>
    [...m.values()].reduce((n, x) => n + pick(x), 0);
  const p = f.pipeline;
  const rejected = sum(p.reviews, (r) => r.rejected);
  const approved = sum(p.reviews, (r) => r.approved);
  const corrected = sum(p.candidates, (c) => c.corrected);
  const escalated = sum(p.candidates, (c) => c.escalated);
  const complaints = f.complaints.rows;
  const answered = complaints.reduce((n, r) => n + r.answered_in_time + r.answered_late, 0);
  const rows: [MessageKey, ColumnKind, number | null][] = [
    ['stats.col.frames', 'int', sum(p.frames, (x) => x.frames)],
    ['stats.col.detectedFrames', 'int', sum(p.frames, (x) => x.detected_frames)],
    ['stats.col.candidates', 'int', sum(p.candidates, (x) => x.candidates)],
    ['stats.col.violations', 'int', sum(p.violations, (x) => x.violations)],
    ['stats.col.reviewed', 'int', sum(p.reviews, (r) => r.reviewed)],
    ['stats.col.falsePositiveRate', 'rate', rate(rejected, rejected + approved)],
    ['stats.col.warned', 'int', sum(p.candidates, (c) => c.warned)],
    ['stats.col.correctedShare', 'rate', rate(corrected, corrected + escalated)],
    ['stats.col.casesFiled', 'int', f.cases.reduce((n, s) => n + s.cases, 0)],
    ['stats.col.paymentRate', 'rate', rate(f.payments.rate.paid, f.payments.rate.decided)],
    ['stats.col.complaints', 'int', complaints.reduce((n, r) => n + r.received, 0)],
    [
      'stats.col.answeredInTimeShare',
      'rate',
      rate(
        complaints.reduce((n, r) => n + r.answered_in_time, 0),
        answered,
      ),
    ],
  ];
  return {
    id: 'summary',
    title: i18n.t('stats.table.summary'),
    columns: [col(i18n, 'stats.col.figure', 'text'), col(i18n, 'stats.col.value', 'text')],
    rows: rows.map(([key, kind, value]) => [i18n.t(key as never), formatCell(kind, value)]),
  };
}

export function casesTables(f: CasesFigures, i18n: StaffI18n): StatsTable[] {
  return [
    {
      id: 'caseStates',
      title: i18n.t('stats.table.caseStates'),
      columns: [col(i18n, 'stats.col.state', 'text'), col(i18n, 'stats.col.cases')],
      rows: f.states.map((s) => [i18n.label('caseState', s.state), s.cases]),
    },
    {
      id: 'durations',
      // over 10,000 violations the times come from the summary's histograms, and the title says so
      title: i18n.t(
        f.durations.some((d) => d.estimated) ? 'stats.table.durationsEstimated' : 'stats.table.durations',
      ),
      columns: [
        col(i18n, 'stats.col.step', 'text'),
        col(i18n, 'stats.col.reached'),
        col(i18n, 'stats.col.medianDays', 'days'),
        col(i18n, 'stats.col.p90Days', 'days'),
      ],
      rows: f.durations.map((d) => [
        i18n.t(`stats.step.${d.step}` as never),
        d.n,
        d.median_s === null ? null : d.median_s / 86_400,
        d.p90_s === null ? null : d.p90_s / 86_400,
      ]),
    },
    {
      id: 'statements',
      title: i18n.t('stats.table.statements'),
      columns: [
        col(i18n, 'stats.col.channel', 'text'),
        col(i18n, 'stats.col.outcome', 'text'),
        col(i18n, 'stats.col.statements'),
      ],
      rows: f.statements.map((s) => [
        i18n.t(s.channel === 'window' ? 'stats.statementChannel.window' : 'stats.statementChannel.portal'),
        i18n.label('statementReviewStatus', s.review_status),
        s.statements,
      ]),
    },
    {
      id: 'hearings',
      title: i18n.t('stats.table.hearings'),
      columns: [col(i18n, 'stats.col.state', 'text'), col(i18n, 'stats.col.hearings')],
      rows: f.hearings.map((h) => [i18n.label('hearingStatus', h.status), h.hearings]),
    },
    {
      id: 'afterDecision',
      title: i18n.t('stats.table.afterDecision'),
      columns: [
        col(i18n, 'stats.col.event', 'text'),
        col(i18n, 'stats.col.detail', 'text'),
        col(i18n, 'stats.col.events'),
      ],
      rows: f.afterDecision.map((e) => [
        i18n.t(
          e.event === 'review_started' ? 'stats.afterDecision.started' : 'stats.afterDecision.concluded',
        ),
        e.event === 'review_started'
          ? i18n.label('pauseKind', e.detail)
          : i18n.t(
              `stats.reviewOutcome.${e.detail === 'varied' || e.detail === 'revoked' ? e.detail : 'upheld'}`,
            ),
        e.events,
      ]),
    },
  ];
}

export function paymentTables(f: PaymentFigures, i18n: StaffI18n): StatsTable[] {
  return [
    {
      id: 'paymentRate',
      title: i18n.t('stats.table.paymentRate'),
      columns: [
        col(i18n, 'stats.col.decidedWithFine'),
        col(i18n, 'stats.col.paid'),
        col(i18n, 'stats.col.paymentRate', 'rate'),
      ],
      rows: [[f.rate.decided, f.rate.paid, rate(f.rate.paid, f.rate.decided)]],
    },
    {
      id: 'payments',
      title: i18n.t('stats.table.payments'),
      columns: [
        col(i18n, 'stats.col.channel', 'text'),
        col(i18n, 'stats.col.gateway', 'text'),
        col(i18n, 'stats.col.payments'),
        col(i18n, 'stats.col.amount', 'yuan'),
        col(i18n, 'stats.col.fine', 'yuan'),
        col(i18n, 'stats.col.lateFee', 'yuan'),
        col(i18n, 'stats.col.withLateFee'),
      ],
      rows: f.channels.map((c) => [
        i18n.t(
          c.channel === 'bank'
            ? 'stats.payChannel.bank'
            : c.channel === 'counter'
              ? 'stats.payChannel.counter'
              : 'stats.payChannel.online',
        ),
        c.gateway,
        c.payments,
        c.amount_fen,
        c.fine_fen,
        c.late_fee_fen,
        c.with_late_fee,
      ]),
    },
  ];
}

export function complaintsTable(f: ComplaintFigures, i18n: StaffI18n): StatsTable {
  return {
    id: 'complaints',
    title: i18n.t('stats.table.complaints'),
    columns: [
      col(i18n, 'stats.by.district', 'text'),
      col(i18n, 'stats.col.received'),
      col(i18n, 'stats.col.open'),
      col(i18n, 'stats.col.openOverdue'),
      col(i18n, 'stats.col.substantiated'),
      col(i18n, 'stats.col.notSubstantiated'),
      col(i18n, 'stats.col.transferred'),
      col(i18n, 'stats.col.answeredInTime'),
      col(i18n, 'stats.col.answeredLate'),
      col(i18n, 'stats.col.answeredInTimeShare', 'rate'),
    ],
    rows: f.rows.map((r) => [
      r.name,
      r.received,
      r.open,
      r.open_overdue,
      r.substantiated,
      r.not_substantiated,
      r.transferred,
      r.answered_in_time,
      r.answered_late,
      rate(r.answered_in_time, r.answered_in_time + r.answered_late),
    ]),
  };
}
