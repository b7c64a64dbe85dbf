import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from '@sinclair/typebox';
import { i18nFor } from '../web/i18n/index.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { csvStream, exportTable, xlsxStream } from './stats-export.service.js';
import { statsPage } from './stats-pages.service.js';
import { STATS_DIMENSIONS } from './stats-query.js';
import { STATS_TAB_NAMES, STATS_TABLE_IDS } from './stats-tables.js';
import type { StatsService } from './stats.service.js';
import { statsView } from './stats.view.js';

/** The statistics pages (/staff/stats, a tab per section) and the CSV and XLSX exports of their tables. */
export interface StatsPageDeps {
  stats: StatsService;
}

const Filter = Type.String({ maxLength: 64 });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Filters = {
  from: Type.Optional(Filter),
  to: Type.Optional(Filter),
  district: Type.Optional(Filter),
  camera: Type.Optional(Filter),
  rule: Type.Optional(Filter),
  type: Type.Optional(Filter),
  by: Type.Optional(literals(STATS_DIMENSIONS)),
};
const PageQuery = Type.Object({ ...Filters, tab: Type.Optional(literals(STATS_TAB_NAMES)) });
const ExportQuery = Type.Object({
  ...Filters,
  tab: Type.Optional(literals(STATS_TAB_NAMES)),
  table: literals([...STATS_TABLE_IDS, 'violations'] as const),
});
type ExportQuery = Static<typeof ExportQuery>;

/** Who reads the figures: the leadership read-only, district staff and the agency head of their district. */
export const STATS_ROLES = ['admin', 'district_staff', 'agency_head', 'leader'] as const;

export const statsPageRoutes: FastifyPluginAsyncTypebox<StatsPageDeps> = async (app, deps) => {
  const readers = staffPage(...STATS_ROLES);

  app.get(
    '/staff/stats',
    { schema: { hide: true, querystring: PageQuery }, preHandler: readers },
    async (request, reply) => {
      const staff = pageStaff(request);
      const q = await deps.stats.resolveQuery(staff, request.query);
      const data = await statsPage(
        deps.stats,
        staff,
        q,
        request.query.tab ?? 'overview',
        request.query.by ?? 'camera',
        i18nFor(staff),
      );
      return sendPage(reply, statsView(data, staff));
    },
  );

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(
      `/staff/stats/export.${format}`,
      { schema: { hide: true, querystring: ExportQuery }, preHandler: readers },
      async (request, reply) => {
        const staff = pageStaff(request);
        const query: ExportQuery = request.query;
        const q = await deps.stats.resolveQuery(staff, query);
        const table = await exportTable(deps.stats, query.table, q, query.by ?? 'camera', i18nFor(staff));
        const file = `stats-${query.table}-${q.from}-${q.to}.${format}`;
        reply
          .header('content-disposition', `attachment; filename="${file}"`)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff');
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(csvStream(table));
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .send(xlsxStream(table, (error) => request.log.error({ err: error }, 'statistics export failed')));
      },
    );
  }
};
