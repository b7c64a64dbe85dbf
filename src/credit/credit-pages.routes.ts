import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { toCsv, toJsonLines } from './credit-export.js';
import type { CreditRepairService } from './credit-repair.service.js';
import { CREDIT_DECIDE_ROLES, CREDIT_VIEW_ROLES, type CreditService } from './credit.service.js';
import { publicCreditView, staffCreditView } from './credit.view.js';

/** The public credit page (and its JSON), and the staff page with repair applications and their review. */

export interface CreditPageDeps {
  credit: CreditService;
  creditRepairs: CreditRepairService;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const RepairForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  requestKey: Type.String({ pattern: '^[A-Za-z0-9._:-]{8,128}$' }),
});

export const creditPageRoutes: FastifyPluginAsyncTypebox<CreditPageDeps> = async (app, deps) => {
  app.get('/public/credit', { schema: { hide: true } }, async (request, reply) => {
    return sendPage(reply, publicCreditView(await deps.credit.publicPage(), request.staff ?? null));
  });

  app.get(
    '/api/public/credit',
    {
      schema: { tags: ['public'], summary: 'Published penalty decisions (APL art. 48), individuals masked' },
    },
    async () => {
      const { today, items } = await deps.credit.publicPage();
      return {
        today,
        items: items.map((i) => ({
          decisionNumber: i.caseNumber,
          party: i.shownName,
          partyCode: i.shownCode,
          matter: i.matter,
          basis: i.basis,
          fineFen: i.fineFen,
          decidedOn: i.decidedOn,
          publishFrom: i.publishFrom,
          publishUntil: i.publishUntil,
        })),
      };
    },
  );

  app.get(
    '/staff/credit',
    { schema: { hide: true }, preHandler: staffPage(...CREDIT_VIEW_ROLES) },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.credit.staffPage(staff);
      return sendPage(
        reply,
        staffCreditView({ ...data, csrfToken: reply.generateCsrf(), requestKey: randomUUID() }, staff),
      );
    },
  );

  app.get(
    '/staff/credit/export',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ format: Type.Union([Type.Literal('jsonl'), Type.Literal('csv')]) }),
      },
      preHandler: staffPage(...CREDIT_VIEW_ROLES),
    },
    async (request, reply) => {
      const records = await deps.credit.exportRecords(pageStaff(request));
      const csv = request.query.format === 'csv';
      return reply
        .header('content-type', csv ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="credit-${deps.credit.today()}.${request.query.format}"`,
        )
        .send(csv ? toCsv(records) : toJsonLines(records));
    },
  );

  app.post(
    '/staff/credit/items/:id/repair',
    {
      schema: { hide: true, params: Id, body: RepairForm },
      config: { errorPage: { back: '/staff/credit' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage('admin', 'district_staff', 'legal_reviewer', 'agency_head'),
    },
    async (request, reply) => {
      const { reason, requestKey } = request.body;
      await deps.creditRepairs.applyByStaff(pageStaff(request), {
        itemId: request.params.id,
        reason,
        requestKey,
      });
      return reply.redirect('/staff/credit', 303);
    },
  );

  app.post(
    '/staff/credit/repairs/:id/decision',
    {
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          decision: Type.Union([Type.Literal('grant'), Type.Literal('refuse')]),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
      config: { errorPage: { back: '/staff/credit' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage(...CREDIT_DECIDE_ROLES),
    },
    async (request, reply) => {
      const { decision, note } = request.body;
      await deps.creditRepairs.decide(pageStaff(request), request.params.id, {
        grant: decision === 'grant',
        note,
      });
      return reply.redirect('/staff/credit', 303);
    },
  );
};
