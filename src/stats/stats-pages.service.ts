import type { StaffPrincipal } from '../auth/principal.js';
import type { StaffI18n } from '../web/i18n/index.js';
import type { ChartSpec } from './charts.js';
import type { StatsDimension, StatsQuery } from './stats-query.js';
import type { StatsService } from './stats.service.js';
import {
  casesTables,
  complaintsTable,
  dailyTable,
  paymentTables,
  reviewTable,
  summaryTable,
  volumeTable,
  warnFirstTable,
  type StatsTable,
  type StatsTab,
} from './stats-tables.js';

/** What a statistics tab shows: its tables and its charts, from the one query layer. */
export interface StatsSection {
  tables: StatsTable[];
  charts: ChartSpec[];
}

/** A bar chart of one numeric column of a table against its first column (at most `limit` rows). */
export function barChartOf(
  table: StatsTable,
  column: number,
  texts: { title: string; xTitle: string; yTitle: string },
  limit = 20,
): ChartSpec {
  const rows = table.rows.slice(0, limit);
  return {
    kind: 'bar',
    ...texts,
    labels: rows.map((r) => String(r[0] ?? '')),
    values: rows.map((r) => (typeof r[column] === 'number' ? r[column] : 0)),
  };
}

export async function statsSection(
  stats: StatsService,
  tab: StatsTab,
  q: StatsQuery,
  by: StatsDimension,
  i18n: StaffI18n,
): Promise<StatsSection> {
  const { t } = i18n;
  const count = t('stats.chart.count');
  switch (tab) {
    case 'overview': {
      const f = await stats.overview(q);
      const daily = dailyTable(f.pipeline, q, i18n);
      return {
        tables: [summaryTable(f, i18n), daily],
        charts: [
          {
            kind: 'line',
            title: t('stats.chart.daily'),
            xTitle: t('stats.chart.day'),
            yTitle: count,
            labels: daily.rows.map((r) => String(r[0]).slice(5)),
            values: daily.rows.map((r) => Number(r[1])),
          },
          {
            kind: 'bar',
            title: t('stats.chart.byType'),
            xTitle: t('stats.by.type'),
            yTitle: count,
            labels: f.byType.map((r) => i18n.label('violationType', r.key)),
            values: f.byType.map((r) => r.violations),
          },
        ],
      };
    }
    case 'pipeline': {
      const f = await stats.pipeline(q, by);
      const volume = volumeTable(f, i18n);
      return {
        tables: [volume, reviewTable(f, i18n), warnFirstTable(f, i18n)],
        charts: [
          barChartOf(volume, 5, {
            title: t('stats.chart.violationsBy'),
            xTitle: volume.columns[0]!.heading,
            yTitle: count,
          }),
        ],
      };
    }
    case 'cases': {
      const tables = casesTables(await stats.cases(q), i18n);
      return {
        tables,
        charts: [
          barChartOf(tables[0]!, 1, {
            title: t('stats.chart.caseStates'),
            xTitle: t('stats.col.state'),
            yTitle: count,
          }),
        ],
      };
    }
    case 'payments': {
      const tables = paymentTables(await stats.payments(q), i18n);
      return {
        tables,
        charts: [
          barChartOf(tables[1]!, 2, {
            title: t('stats.chart.payments'),
            xTitle: t('stats.col.channel'),
            yTitle: count,
          }),
        ],
      };
    }
    case 'complaints': {
      const table = complaintsTable(await stats.complaints(q), i18n);
      return {
        tables: [table],
        charts: [
          barChartOf(table, 1, {
            title: t('stats.chart.complaints'),
            xTitle: t('stats.by.district'),
            yTitle: count,
          }),
        ],
      };
    }
  }
}

export interface StatsPageData {
  tab: StatsTab;
  by: StatsDimension;
  query: StatsQuery;
  /** the filters as asked, for the form and the export links */
  filters: { from: string; to: string; district: string; camera: string; rule: string; type: string };
  choices: Awaited<ReturnType<StatsService['filterChoices']>>;
  section: StatsSection;
}

export async function statsPage(
  stats: StatsService,
  staff: StaffPrincipal,
  q: StatsQuery,
  tab: StatsTab,
  by: StatsDimension,
  i18n: StaffI18n,
): Promise<StatsPageData> {
  const [choices, section] = await Promise.all([
    stats.filterChoices(staff, q),
    statsSection(stats, tab, q, by, i18n),
  ]);
  return {
    tab,
    by,
    query: q,
    filters: {
      from: q.from,
      to: q.to,
      district: q.districtId ?? '',
      camera: q.cameraId ?? '',
      rule: q.rule ?? '',
      type: q.violationType ?? '',
    },
    choices,
    section,
  };
}
