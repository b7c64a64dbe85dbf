import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DomainError, ValidationError } from '../shared/errors.js';
import { i18nFor } from '../web/i18n/index.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { ComplaintService } from './complaint.service.js';
import { complaintDetailView, complaintListView } from './complaint.view.js';
import { SpotCheckGrabError, SpotCheckNoCameraError, type SpotCheckService } from './spot-check.service.js';
import { spotChecksSection } from './spot-check.view.js';

/** The staff pages of complaints: the list (with the form to take one) and one complaint with its outcome form. */

export interface ComplaintPageDeps {
  complaints: ComplaintService;
  spotChecks: SpotCheckService;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** An optional coordinate typed into the form: empty is none; anything else must be a number in range. */
function coordinate(value: string | undefined, what: string, limit: number): number | undefined {
  const text = value?.trim() ?? '';
  if (!text) return undefined;
  const n = Number(text);
  if (!/^-?\d{1,3}(\.\d{1,10})?$/.test(text) || Math.abs(n) > limit)
    throw new ValidationError(`${what}: a number between -${limit} and ${limit}`);
  return n;
}

export const complaintPageRoutes: FastifyPluginAsyncTypebox<ComplaintPageDeps> = async (app, deps) => {
  const viewers = staffPage('admin', 'district_staff', 'agency_head');

  app.get(
    '/staff/complaints',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ group: Type.Optional(Type.String({ format: 'uuid' })) }),
      },
      preHandler: viewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const list = await deps.complaints.list(staff, { groupId: request.query.group });
      const replies = await deps.complaints.replyFlags(list.map((c) => c.id));
      return sendPage(reply, complaintListView(list, staff, reply.generateCsrf(), replies));
    },
  );

  app.post(
    '/staff/complaints',
    {
      schema: {
        hide: true,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          districtId: Type.Optional(Type.String({ maxLength: 32 })),
          place: Type.String({ maxLength: 500 }),
          latitude: Type.Optional(Type.String({ maxLength: 20 })),
          longitude: Type.Optional(Type.String({ maxLength: 20 })),
          content: Type.String({ maxLength: 4000 }),
          reporterName: Type.Optional(Type.String({ maxLength: 100 })),
          reporterPhone: Type.Optional(Type.String({ maxLength: 21 })),
        }),
      },
      config: { errorPage: { back: '/staff/complaints' } },
      preValidation: app.csrfProtection,
      preHandler: viewers,
    },
    async (request, reply) => {
      const form = request.body;
      const latitude = coordinate(form.latitude, 'latitude', 90);
      const longitude = coordinate(form.longitude, 'longitude', 180);
      const id = await deps.complaints.fileByStaff(pageStaff(request), {
        districtId: form.districtId?.trim() || undefined,
        place: { text: form.place, latitude, longitude },
        content: form.content,
        reporter: { name: form.reporterName, phone: form.reporterPhone },
      });
      return reply.redirect(`/staff/complaints/${id}`, 303);
    },
  );

  app.get(
    '/staff/complaints/:id',
    {
      schema: {
        hide: true,
        params: Id,
        querystring: Type.Object({ showReporter: Type.Optional(Type.Boolean()) }),
      },
      preHandler: viewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const detail = await deps.complaints.detail(staff, request.params.id, request.query.showReporter);
      const replies = await deps.complaints.replyFlags([detail.id]);
      const csrf = reply.generateCsrf();
      const checks = await deps.spotChecks.list(staff, detail.id);
      const camera = detail.match.camera ? detail.match.camera.name || detail.match.camera.id : null;
      const spot = spotChecksSection({ id: detail.id, cameraName: camera }, checks, staff, csrf);
      return sendPage(reply, complaintDetailView(detail, staff, csrf, replies, spot));
    },
  );

  app.post(
    '/staff/complaints/:id/outcome',
    {
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          outcome: Type.Union([
            Type.Literal('substantiated'),
            Type.Literal('not_substantiated'),
            Type.Literal('transferred'),
          ]),
          note: Type.String({ maxLength: 2000 }),
          department: Type.Optional(Type.String({ maxLength: 200 })),
        }),
      },
      config: { errorPage: { back: '/staff/complaints/:id' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage('district_staff', 'agency_head'),
    },
    async (request, reply) => {
      const { id } = request.params;
      const { outcome, note, department } = request.body;
      await deps.complaints.decide(pageStaff(request), id, { outcome, note, department });
      return reply.redirect(`/staff/complaints/${id}`, 303);
    },
  );

  app.post(
    '/staff/complaints/:id/spot-checks',
    {
      schema: { hide: true, params: Id, body: Type.Object({ _csrf: Type.Optional(Type.String()) }) },
      config: { errorPage: { back: '/staff/complaints/:id' }, rateLimit: { max: 12, timeWindow: 60_000 } },
      preValidation: app.csrfProtection,
      preHandler: viewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const { id } = request.params;
      const { t } = i18nFor(staff);
      try {
        await deps.spotChecks.request(staff, id);
      } catch (err) {
        // said in the reader's words, with the camera's own answer after them
        if (err instanceof SpotCheckNoCameraError)
          throw new DomainError(err.statusCode, err.code, t('spotCheck.error.noCamera'));
        if (err instanceof SpotCheckGrabError)
          throw new DomainError(
            err.statusCode,
            err.code,
            t('spotCheck.error.unreachable', { error: err.message }),
          );
        throw err;
      }
      return reply.redirect(`/staff/complaints/${id}#spot-checks`, 303);
    },
  );

  app.get(
    '/staff/complaints/:id/spot-checks/:checkId/image',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          checkId: Type.String({ format: 'uuid' }),
        }),
      },
      preHandler: viewers,
    },
    async (request, reply) => {
      const { id, checkId } = request.params;
      const jpeg = await deps.spotChecks.image(pageStaff(request), id, checkId);
      return reply
        .header('content-type', 'image/jpeg')
        .header('cache-control', 'private, no-store')
        .send(jpeg);
    },
  );
};
