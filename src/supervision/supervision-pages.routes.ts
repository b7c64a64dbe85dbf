import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { assertNoNul } from '../http/input-guard.js';
import { DomainError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { INSPECTION_ROLES, PHOTO_LIMITS, type InspectionService } from './inspection.service.js';
import { dueListView, inspectionFormView } from './inspection.view.js';
import {
  LEVEL_SETTERS,
  SHOP_DETAIL_ROLES,
  SHOP_PAGE_ROLES,
  type ShopPagesService,
} from './shop-pages.service.js';
import { shopDetailView, shopsPageView } from './shop.view.js';

/**
 * The pages of risk-graded supervision: the patrol's due list and inspection form (/staff/inspections), the
 * district's shops by level (/staff/shops), one shop with its history, and the level set by hand.
 */

export interface SupervisionPageDeps {
  inspections: InspectionService;
  shopPages: ShopPagesService;
}

const ShopId = Type.Object({ shopId: Type.String({ format: 'uuid' }) });
const Level = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);

const InspectionBody = Type.Object({
  _csrf: Type.String(),
  outcome: Type.Union([Type.Literal('compliant'), Type.Literal('problem')]),
  notes: Type.String({ maxLength: PHOTO_LIMITS.maxNotes * 2 }),
  photos: Type.Array(Type.Object({ name: Type.String(), bytes: Type.Unsafe<Buffer>({}) }), {
    maxItems: PHOTO_LIMITS.maxFiles,
  }),
});

/** Reads the multipart form before the token check, which looks for `_csrf` in the body. */
async function readInspectionForm(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart())
    throw new DomainError(415, 'unsupported_media_type', 'an inspection is sent as multipart/form-data');
  const fields: Record<string, string> = {};
  const photos: { name: string; bytes: Buffer }[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // a form with no file chosen still sends an empty, nameless file part
        if (part.filename) photos.push({ name: part.filename, bytes });
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    assertNoNul({ fields, photos: photos.map((p) => p.name) }, 'inspection');
  } catch (error) {
    if (error instanceof DomainError) throw error;
    const code = (error as { code?: string }).code ?? '';
    if (['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(code))
      throw new DomainError(413, 'photo_refused', `at most ${PHOTO_LIMITS.maxFiles} photos of 8 MB each`);
    throw new DomainError(400, 'malformed_form', 'the form could not be read; please send it again');
  }
  request.body = { _csrf: fields._csrf ?? '', outcome: fields.outcome, notes: fields.notes ?? '', photos };
}

export const supervisionPageRoutes: FastifyPluginAsyncTypebox<SupervisionPageDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: PHOTO_LIMITS.maxBytes,
      files: PHOTO_LIMITS.maxFiles,
      fields: 4,
      fieldSize: PHOTO_LIMITS.maxNotes * 4,
      parts: 10,
    },
  });
  const patrol = staffPage(...INSPECTION_ROLES);

  app.get(
    '/staff/inspections',
    {
      schema: { hide: true, querystring: Type.Object({ recorded: Type.Optional(Type.Literal('1')) }) },
      preHandler: patrol,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.inspections.dueList(staff);
      return sendPage(reply, dueListView(data, staff, request.query.recorded === '1'));
    },
  );

  app.get(
    '/staff/inspections/:shopId/new',
    { schema: { hide: true, params: ShopId }, preHandler: patrol },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.inspections.form(staff, request.params.shopId);
      return sendPage(reply, inspectionFormView(data, staff, reply.generateCsrf()));
    },
  );

  app.post(
    '/staff/inspections/:shopId',
    {
      schema: { hide: true, params: ShopId, body: InspectionBody },
      config: { errorPage: { id: 'inspection-error', back: '/staff/inspections/:shopId/new' } },
      preValidation: [readInspectionForm, app.csrfProtection],
      preHandler: patrol,
    },
    async (request, reply) => {
      const { outcome, notes, photos } = request.body;
      await deps.inspections.record(pageStaff(request), request.params.shopId, {
        outcome,
        notes,
        photos: photos.map((p) => ({
          name: p.name,
          bytes: Buffer.isBuffer(p.bytes) ? p.bytes : Buffer.alloc(0),
        })),
      });
      return reply.redirect('/staff/inspections?recorded=1', 303);
    },
  );

  app.get(
    '/staff/inspections/photos/:photoId',
    {
      schema: { hide: true, params: Type.Object({ photoId: Type.String({ format: 'uuid' }) }) },
      preHandler: staffPage(...SHOP_DETAIL_ROLES),
    },
    async (request, reply) => {
      const photo = await deps.inspections.photo(pageStaff(request), request.params.photoId);
      return reply
        .header('content-type', photo.contentType)
        .header('x-content-sha256', photo.sha256)
        .header('cache-control', 'private, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(photo.stream);
    },
  );

  app.get(
    '/staff/shops',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          level: Type.Optional(Level),
          q: Type.Optional(Type.String({ maxLength: 100 })),
          overdue: Type.Optional(Type.Boolean()),
          page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        }),
      },
      preHandler: staffPage(...SHOP_PAGE_ROLES),
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.shopPages.shopsPage(staff, request.query);
      return sendPage(reply, shopsPageView(data, staff));
    },
  );

  app.get(
    '/staff/shops/:shopId',
    { schema: { hide: true, params: ShopId }, preHandler: staffPage(...SHOP_DETAIL_ROLES) },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.shopPages.detail(staff, request.params.shopId);
      return sendPage(reply, shopDetailView(data, staff, reply.generateCsrf()));
    },
  );

  app.post(
    '/staff/shops/:shopId/level',
    {
      schema: {
        hide: true,
        params: ShopId,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          level: Level,
          reason: Type.String({ maxLength: 500 }),
        }),
      },
      config: { errorPage: { id: 'set-level-error', back: '/staff/shops/:shopId' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage(...LEVEL_SETTERS),
    },
    async (request, reply) => {
      const { shopId } = request.params;
      await deps.shopPages.setLevel(pageStaff(request), shopId, request.body.level, request.body.reason);
      return reply.redirect(`/staff/shops/${shopId}`, 303);
    },
  );
};
