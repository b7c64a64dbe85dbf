import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { StaffRole } from '../auth/principal.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { STATS_ROLES } from './stats-pages.routes.js';
import { previousMonth } from './stats-period.js';
import type { StatsReportService } from './stats-report.service.js';
import { statsReportsView } from './stats-report.view.js';
import type { StatsService } from './stats.service.js';

/** The monthly analysis reports: the list with their history, generation on demand, and the sealed PDFs. */
export interface StatsReportPageDeps {
  stats: StatsService;
  statsReports: StatsReportService;
}

const GENERATORS: readonly StaffRole[] = ['admin', 'district_staff', 'agency_head'];

export const statsReportPageRoutes: FastifyPluginAsyncTypebox<StatsReportPageDeps> = async (app, deps) => {
  const readers = staffPage(...STATS_ROLES);

  app.get('/staff/stats/reports', { schema: { hide: true }, preHandler: readers }, async (request, reply) => {
    const staff = pageStaff(request);
    const reports = await deps.statsReports.list(staff);
    const q = await deps.stats.resolveQuery(staff, {});
    const districts = staff.role === 'admin' ? (await deps.stats.filterChoices(staff, q)).districts : [];
    return sendPage(
      reply,
      statsReportsView(
        {
          reports,
          districts,
          canGenerate: GENERATORS.includes(staff.role),
          lastMonth: previousMonth(deps.stats.today()).from.slice(0, 7),
        },
        staff,
        reply.generateCsrf(),
      ),
    );
  });

  app.post(
    '/staff/stats/reports',
    {
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          month: Type.String({ pattern: '^\\d{4}-\\d{2}$' }),
          district: Type.Optional(Type.String({ maxLength: 32 })),
        }),
      },
      preValidation: app.csrfProtection,
      preHandler: staffPage(...GENERATORS),
      config: { errorPage: { back: '/staff/stats/reports' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      await deps.statsReports.generateFor(staff, request.body.month, request.body.district);
      return reply.redirect('/staff/stats/reports', 303);
    },
  );

  app.get(
    '/staff/stats/reports/:id/file',
    {
      schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      preHandler: readers,
    },
    async (request, reply) => {
      const { row, body } = await deps.statsReports.file(pageStaff(request), request.params.id);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="stats-report-${row.district_id}-${row.month.slice(0, 7)}.pdf"`,
        )
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
};
