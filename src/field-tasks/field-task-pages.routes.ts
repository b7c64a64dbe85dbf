import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { Pool } from '../db/pool.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { ValidationError } from '../shared/errors.js';
import type { FieldTaskOutcome } from './field-task.repo.js';
import { recordCall } from './field-call.service.js';
import { FIELD_FORM_LIMITS, readFieldReportForm } from './field-report-form.js';
import { fieldQueuePage, fieldTaskPage } from './field-task-pages.service.js';
import { FIELD_ROLES, type FieldReportInput, type FieldTaskService } from './field-task.service.js';
import { fieldQueueView, fieldTaskView } from './field-task.view.js';

export interface FieldTaskPageDeps {
  pool: Pool;
  fieldTasks: FieldTaskService;
}

const TaskId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Short = (max: number) => Type.Optional(Type.String({ maxLength: max }));

const CallForm = Type.Object({
  _csrf: Type.Optional(Type.String()),
  outcome: Type.String({ maxLength: 20 }),
  /** datetime-local in Beijing time: 2026-03-02T10:15 */
  calledAt: Short(20),
  note: Short(8_000),
});

/** A datetime-local value read as Beijing time (UTC+8, no daylight saving); undefined when empty. */
export function beijingLocal(value: string | undefined): Date | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v))
    throw new ValidationError('calledAt: a date and time such as 2026-03-02T10:15');
  const at = new Date(`${v.length === 16 ? `${v}:00` : v}+08:00`);
  if (Number.isNaN(at.getTime())) throw new ValidationError('calledAt: not a valid time');
  return at;
}

const ReportForm = Type.Object({
  _csrf: Type.String(),
  outcome: Type.String({ maxLength: 20 }),
  partyId: Short(36),
  newKind: Short(10),
  newName: Short(100),
  newIdNumber: Short(30),
  newPhone: Short(20),
  newAddress: Short(200),
  confirmSamePlace: Short(3),
  note: Short(8_000),
  photos: Type.Array(Type.Object({ name: Type.String(), bytes: Type.Unsafe<Buffer>({}) }), {
    maxItems: FIELD_FORM_LIMITS.files,
  }),
});

/** The multipart form read before the token check, which looks for `_csrf` in the body. */
async function readForm(request: FastifyRequest): Promise<void> {
  const { fields, photos } = await readFieldReportForm(request);
  request.body = {
    _csrf: fields._csrf ?? '',
    outcome: fields.outcome ?? '',
    partyId: fields.partyId,
    newKind: fields.newKind,
    newName: fields.newName,
    newIdNumber: fields.newIdNumber,
    newPhone: fields.newPhone,
    newAddress: fields.newAddress,
    confirmSamePlace: fields.confirmSamePlace,
    note: fields.note,
    photos,
  };
}

function outcomeOf(value: string): FieldTaskOutcome {
  if (value === 'party' || value === 'corrected') return value;
  throw new ValidationError('outcome: the party found on site, or corrected on site');
}

/** The form's values as the service takes them: a new party only when its name is filled in. */
export function reportInputOf(form: {
  outcome: string;
  partyId?: string;
  newKind?: string;
  newName?: string;
  newIdNumber?: string;
  newPhone?: string;
  newAddress?: string;
  confirmSamePlace?: string;
  note?: string;
  photos: { name: string; bytes: unknown }[];
}): FieldReportInput {
  const newName = form.newName?.trim();
  return {
    outcome: outcomeOf(form.outcome),
    partyId: form.partyId?.trim() || undefined,
    newParty: newName
      ? {
          kind: form.newKind === 'unit' ? 'unit' : 'person',
          name: newName,
          idNumber: form.newIdNumber?.trim() || null,
          phone: form.newPhone?.trim() || null,
          address: form.newAddress?.trim() ?? '',
          confirmSamePlace: form.confirmSamePlace === 'yes',
        }
      : undefined,
    note: form.note,
    photos: form.photos.map((p) => ({
      name: p.name,
      bytes: Buffer.isBuffer(p.bytes) ? p.bytes : Buffer.alloc(0),
    })),
  };
}

export const fieldTaskPageRoutes: FastifyPluginAsyncTypebox<FieldTaskPageDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, { limits: FIELD_FORM_LIMITS });
  const patrol = staffPage(...FIELD_ROLES);

  app.get('/staff/field-tasks', { schema: { hide: true }, preHandler: patrol }, async (request, reply) => {
    const staff = pageStaff(request);
    const data = await fieldQueuePage(deps.pool, staff);
    return sendPage(reply, fieldQueueView(data, { staff, csrfToken: reply.generateCsrf() }));
  });

  app.get(
    '/staff/field-tasks/:id',
    {
      schema: {
        hide: true,
        params: TaskId,
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
      },
      preHandler: patrol,
      config: { errorPage: { back: '/staff/field-tasks' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await fieldTaskPage(deps.pool, deps.fieldTasks, staff, request.params.id, request.query.q);
      return sendPage(reply, fieldTaskView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.post(
    '/staff/field-tasks/:id/report',
    {
      schema: { hide: true, params: TaskId, body: ReportForm },
      config: { errorPage: { id: 'field-report-error', back: '/staff/field-tasks/:id' } },
      preValidation: [readForm, app.csrfProtection],
      preHandler: patrol,
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.fieldTasks.report(pageStaff(request), id, reportInputOf(request.body));
      return reply.redirect(`/staff/field-tasks/${id}`, 303);
    },
  );

  app.post(
    '/staff/field-tasks/:id/call',
    {
      schema: { hide: true, params: TaskId, body: CallForm },
      config: { errorPage: { id: 'field-call-error', back: '/staff/field-tasks/:id' } },
      preValidation: app.csrfProtection,
      preHandler: patrol,
    },
    async (request, reply) => {
      const { id } = request.params;
      const { outcome, calledAt, note } = request.body;
      const at = beijingLocal(calledAt);
      await recordCall(deps.pool, deps.fieldTasks, pageStaff(request), id, {
        outcome,
        note,
        ...(at ? { calledAt: at } : {}),
      });
      return reply.redirect(`/staff/field-tasks/${id}`, 303);
    },
  );

  app.get(
    '/staff/field-tasks/:id/photos/:sha256',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
        }),
      },
      preHandler: patrol,
    },
    async (request, reply) => {
      const { photo, bytes } = await deps.fieldTasks.photo(
        pageStaff(request),
        request.params.id,
        request.params.sha256,
      );
      return reply
        .header('content-type', photo.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, max-age=3600, immutable')
        .header('x-content-sha256', photo.sha256)
        .send(bytes);
    },
  );
};
