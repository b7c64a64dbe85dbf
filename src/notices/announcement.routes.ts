import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { ANNOUNCEMENT_STAFF, type AnnouncementService } from './announcement.service.js';

/** Service by public announcement (公告送达, Shanghai enforcement regulation art. 25): the staff API and the public list. */

export interface AnnouncementRoutesDeps {
  announcements: AnnouncementService;
}

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const announcementRoutes: FastifyPluginAsyncTypebox<AnnouncementRoutesDeps> = async (app, deps) => {
  app.post(
    '/api/cases/:id/postal-returned',
    {
      schema: {
        tags: ['cases'],
        summary: 'Record that a document sent by post came back undelivered (退回), with the reason',
        params: CaseId,
        body: Type.Object(
          {
            noticeId: Type.String({ format: 'uuid' }),
            reason: Type.String({
              minLength: 1,
              maxLength: 500,
              description: 'e.g. 查无此人, 地址不详, 拒收',
            }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...ANNOUNCEMENT_STAFF),
    },
    async (request) =>
      deps.announcements.recordPostalReturn(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/announcement',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Serve a document by public announcement once the other means failed (409 otherwise); served sixty days after publication',
        params: CaseId,
        body: Type.Object({ noticeId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...ANNOUNCEMENT_STAFF),
    },
    async (request) => deps.announcements.publish(staffOf(request), request.params.id, request.body.noticeId),
  );

  app.get(
    '/api/public/announcements',
    { schema: { tags: ['public'], summary: 'Announcements of service (公告送达), newest first' } },
    async () => ({
      announcements: (await deps.announcements.publicList()).map((a) => ({
        id: a.id,
        party: a.party_masked,
        publishedOn: a.published_on,
        effectiveOn: a.effective_on,
        ...a.essentials,
      })),
    }),
  );
};
