import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { ANNOUNCEMENT_STAFF, type AnnouncementService } from './announcement.service.js';
import { caseDeliveryView, publicAnnouncementsView } from './announcement.view.js';

/** The public announcements page, and the staff page of a case's deliveries with its two forms. */

export interface AnnouncementPageDeps {
  announcements: AnnouncementService;
}

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const back = '/staff/cases/:id/delivery';

export const announcementPageRoutes: FastifyPluginAsyncTypebox<AnnouncementPageDeps> = async (app, deps) => {
  const staffOnly = staffPage(...ANNOUNCEMENT_STAFF);

  app.get('/public/announcements', { schema: { hide: true } }, async (request, reply) => {
    const rows = await deps.announcements.publicList();
    return sendPage(reply, publicAnnouncementsView(rows, request.staff ?? null));
  });

  app.get(
    '/staff/cases/:id/delivery',
    {
      schema: { hide: true, params: CaseId },
      preHandler: staffOnly,
      config: { errorPage: { back: '/staff/cases/:id' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const { caseRow, notices } = await deps.announcements.caseDeliveries(staff, request.params.id);
      return sendPage(
        reply,
        caseDeliveryView(
          { caseId: caseRow.id, caseNumber: caseRow.case_number, notices },
          { staff, csrfToken: reply.generateCsrf() },
        ),
      );
    },
  );

  app.post(
    '/staff/cases/:id/delivery/postal-returned',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          noticeId: Type.String({ format: 'uuid' }),
          reason: Type.String({ maxLength: 500 }),
        }),
      },
      config: { errorPage: { id: 'announcement-error', back } },
      preValidation: app.csrfProtection,
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.announcements.recordPostalReturn(pageStaff(request), id, request.body);
      return reply.redirect(`/staff/cases/${id}/delivery`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/delivery/announcement',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({ _csrf: Type.Optional(Type.String()), noticeId: Type.String({ format: 'uuid' }) }),
      },
      config: { errorPage: { id: 'announcement-error', back } },
      preValidation: app.csrfProtection,
      preHandler: staffOnly,
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.announcements.publish(pageStaff(request), id, request.body.noticeId);
      return reply.redirect(`/staff/cases/${id}/delivery`, 303);
    },
  );
};
