import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { listDistricts } from '../auth/district.repo.js';
import type { ShopFrontLinkService } from '../cameras/shop-front-link.service.js';
import type { Pool } from '../db/pool.js';
import { assertNoNul } from '../http/input-guard.js';
import { DomainError, ValidationError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { PartyImportService } from './party-import.service.js';
import { importFormView, importReportView } from './party-import.view.js';
import { newPartyPage, partyDetailPage, partyListPage, type PartyFormValues } from './party-pages.service.js';
import { newPartyView, partyDetailView, partyListView } from './party-pages.view.js';
import { REGISTER_ROLES, type PartyService } from './party.service.js';
import { MAX_CSV_CHARS } from './shop-register-csv.js';

/*
 * The party register's staff pages: the list with search, the form to add a shop or a person (shown again with
 * the registered shop of the same name and address until the member of staff confirms), one party with the
 * shop-front zones that name it, and the CSV import (upload, dry run, import).
 */

export interface PartyPageDeps {
  pool: Pool;
  parties: PartyService;
  partyImport: PartyImportService;
  shopFronts: ShopFrontLinkService;
}

const PartyForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  districtId: Type.Optional(Type.String({ maxLength: 32 })),
  kind: Type.Union([Type.Literal('unit'), Type.Literal('person')]),
  name: Type.String({ maxLength: 200 }),
  idNumber: Type.Optional(Type.String({ maxLength: 40 })),
  address: Type.Optional(Type.String({ maxLength: 500 })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  confirmSamePlace: Type.Optional(Type.Literal('yes')),
});

const ImportUpload = Type.Object({
  _csrf: Type.String(),
  districtId: Type.Optional(Type.String({ maxLength: 32 })),
  csv: Type.String({ maxLength: MAX_CSV_CHARS }),
});

const MAX_CSV_BYTES = MAX_CSV_CHARS * 3;

/** The upload (the dry run's file, or the import's text field) read before the token check, which looks for `_csrf` in the body: the file as UTF-8 text. */
async function readUpload(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart())
    throw new DomainError(415, 'unsupported_media_type', 'send the file as multipart/form-data');
  const fields: Record<string, string> = {};
  let csv = '';
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') csv = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } else if (part.fieldname === 'csv') csv = String(part.value);
      else fields[part.fieldname] = String(part.value);
    }
  } catch (error) {
    if (error instanceof TypeError)
      throw new ValidationError('csv: the file is not UTF-8 text; save it as CSV UTF-8 and try again');
    const code = (error as { code?: string }).code ?? '';
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code.endsWith('_LIMIT'))
      throw new DomainError(413, 'file_too_large', `the file is larger than ${MAX_CSV_BYTES} bytes`);
    throw new DomainError(400, 'malformed_form', 'the form could not be read; please send it again');
  }
  assertNoNul({ csv, fields }, 'import');
  request.body = { _csrf: fields._csrf ?? '', districtId: fields.districtId || undefined, csv };
}

export const partyPageRoutes: FastifyPluginAsyncTypebox<PartyPageDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, {
    // a character of a Chinese name is three bytes of UTF-8
    limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 4, fieldSize: MAX_CSV_BYTES, parts: 6 },
  });
  const registrar = staffPage(...REGISTER_ROLES);
  const ctx = (request: FastifyRequest, csrfToken: string) => ({ staff: pageStaff(request), csrfToken });

  app.get(
    '/staff/parties',
    {
      schema: { hide: true, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }) },
      preHandler: registrar,
    },
    async (request, reply) => {
      const data = await partyListPage(deps.parties, pageStaff(request), request.query.q);
      return sendPage(reply, partyListView(data, ctx(request, reply.generateCsrf())));
    },
  );

  app.get('/staff/parties/new', { schema: { hide: true }, preHandler: registrar }, async (request, reply) => {
    const data = await newPartyPage(deps.pool, pageStaff(request));
    return sendPage(reply, newPartyView(data, ctx(request, reply.generateCsrf())));
  });

  app.post(
    '/staff/parties',
    {
      schema: { hide: true, body: PartyForm },
      config: { errorPage: { id: 'party-form-error', back: '/staff/parties/new' } },
      preValidation: app.csrfProtection,
      preHandler: registrar,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const form = request.body;
      const input = {
        districtId: form.districtId || undefined,
        kind: form.kind,
        name: form.name,
        idNumber: form.idNumber || null,
        address: form.address ?? '',
        phone: form.phone?.replace(/[\s-]/g, '') || null,
        confirmSamePlace: form.confirmSamePlace === 'yes',
      };
      if (input.phone && !/^\+?[0-9]{6,15}$/.test(input.phone))
        throw new ValidationError('phone: 6 to 15 digits');
      const { warning } = await deps.parties.check(staff, input);
      if (warning && !input.confirmSamePlace) {
        const values: PartyFormValues = {
          kind: form.kind,
          name: form.name,
          idNumber: form.idNumber ?? '',
          address: form.address ?? '',
          phone: form.phone ?? '',
          districtId: form.districtId ?? '',
        };
        const data = await newPartyPage(deps.pool, staff, values, warning);
        return sendPage(reply, newPartyView(data, ctx(request, reply.generateCsrf())));
      }
      const id = await deps.parties.register(staff, input);
      return reply.redirect(`/staff/parties/${id}`, 303);
    },
  );

  app.get(
    '/staff/parties/import',
    { schema: { hide: true }, preHandler: registrar },
    async (request, reply) => {
      const staff = pageStaff(request);
      const districts = staff.role === 'admin' ? await listDistricts(deps.pool, null) : [];
      return sendPage(reply, importFormView(districts, ctx(request, reply.generateCsrf())));
    },
  );

  app.post(
    '/staff/parties/import',
    {
      schema: { hide: true, body: ImportUpload },
      config: { errorPage: { id: 'import-error', back: '/staff/parties/import' } },
      preValidation: [readUpload, app.csrfProtection],
      preHandler: registrar,
    },
    async (request, reply) => {
      const { csv, districtId } = request.body;
      const report = await deps.partyImport.run(pageStaff(request), { csv, districtId, dryRun: true });
      return sendPage(reply, importReportView({ ...report, csv }, ctx(request, reply.generateCsrf())));
    },
  );

  app.post(
    '/staff/parties/import/confirm',
    {
      schema: { hide: true, body: ImportUpload },
      config: { errorPage: { id: 'import-error', back: '/staff/parties/import' } },
      preValidation: [readUpload, app.csrfProtection],
      preHandler: registrar,
    },
    async (request, reply) => {
      const { csv, districtId } = request.body;
      const report = await deps.partyImport.run(pageStaff(request), { csv, districtId, dryRun: false });
      return sendPage(reply, importReportView({ ...report, csv }, ctx(request, reply.generateCsrf())));
    },
  );

  app.get(
    '/staff/parties/:id',
    {
      schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
      preHandler: registrar,
    },
    async (request, reply) => {
      const data = await partyDetailPage(deps, pageStaff(request), request.params.id);
      return sendPage(reply, partyDetailView(data, ctx(request, reply.generateCsrf())));
    },
  );

  app.post(
    '/staff/parties/:id/shop-front',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          zone: Type.String({ pattern: '^[0-9a-fA-F-]{36}/[0-9a-fA-F-]{36}$' }),
        }),
      },
      config: { errorPage: { id: 'link-error', back: '/staff/parties/:id' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage('admin', 'district_staff'),
    },
    async (request, reply) => {
      const [cameraId = '', zoneId = ''] = request.body.zone.split('/');
      const { id } = request.params;
      await deps.shopFronts.link(pageStaff(request), { cameraId, zoneId, partyId: id });
      return reply.redirect(`/staff/parties/${id}`, 303);
    },
  );
};
