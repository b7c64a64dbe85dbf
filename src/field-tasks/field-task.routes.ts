import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { Pool } from '../db/pool.js';
import { ValidationError } from '../shared/errors.js';
import { recordCall } from './field-call.service.js';
import { FIELD_PHOTO_LIMITS } from './field-task-rules.js';
import { fieldQueuePage } from './field-task-pages.service.js';
import { FIELD_ROLES, type FieldTaskService } from './field-task.service.js';

/** The field tasks' API (派单): the open tasks of the caller's district, and the patrol's report. */

export interface FieldTaskRoutesDeps {
  pool: Pool;
  fieldTasks: FieldTaskService;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_BASE64 = Math.ceil(FIELD_PHOTO_LIMITS.maxBytes / 3) * 4;

const ReportBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('party'), Type.Literal('corrected')], {
      description: 'The party found on site, or the scene corrected on site (no penalty, Pudong art. 15)',
    }),
    partyId: Type.Optional(Type.String({ format: 'uuid', description: 'A party of the district register' })),
    newParty: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('person'), Type.Literal('unit')]),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          idNumber: Type.Optional(
            Type.String({
              maxLength: 30,
              description: 'Identity number or unified social credit code, checked',
            }),
          ),
          phone: Type.Optional(Type.String({ maxLength: 20 })),
          address: Type.Optional(Type.String({ maxLength: 200 })),
          confirmSamePlace: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, description: 'A party registered on site, with the register checks' },
      ),
    ),
    note: Type.Optional(Type.String({ maxLength: FIELD_PHOTO_LIMITS.maxNoteChars })),
    photos: Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1, maxLength: 255 }),
          contentBase64: Type.String({ minLength: 1, maxLength: MAX_BASE64 }),
        },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: FIELD_PHOTO_LIMITS.maxFiles,
        description: 'Photos taken on site: JPEG or PNG',
      },
    ),
  },
  { additionalProperties: false },
);

const CallBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('answered'), Type.Literal('no_answer')], {
      description:
        'answered: the party was warned and told to correct (Pudong art. 15); no_answer: not reached',
    }),
    calledAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the call was made; now when absent' }),
    ),
    note: Type.Optional(Type.String({ maxLength: FIELD_PHOTO_LIMITS.maxNoteChars })),
  },
  { additionalProperties: false },
);

export const fieldTaskRoutes: FastifyPluginAsyncTypebox<FieldTaskRoutesDeps> = async (app, deps) => {
  app.get(
    '/api/field-tasks',
    {
      schema: {
        tags: ['field-tasks'],
        summary: "Open field tasks of the caller's district, the nearest deadline first",
      },
      preHandler: requireStaff(...FIELD_ROLES),
    },
    async (request) => {
      const { today, tasks } = await fieldQueuePage(deps.pool, staffOf(request));
      return {
        today,
        tasks: tasks.map((t) => ({
          id: t.id,
          violationId: t.violation_id,
          violationType: t.violation_type,
          reason: t.reason,
          dueOn: t.due_on,
          overdue: t.overdue,
          place: t.place,
          phone: t.phone,
        })),
      };
    },
  );

  app.post(
    '/api/field-tasks/:id/report',
    {
      schema: {
        tags: ['field-tasks'],
        summary:
          'Report a field task: the party identified on site (the case is filed as on a reviewer naming it) or the scene corrected on site',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: ReportBody,
      },
      bodyLimit: (MAX_BASE64 + 1024) * FIELD_PHOTO_LIMITS.maxFiles + 16_384,
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...FIELD_ROLES),
    },
    async (request) => {
      const { photos, ...rest } = request.body;
      const decoded = photos.map((p, i) => {
        if (!BASE64.test(p.contentBase64)) throw new ValidationError(`photo ${i + 1} is not base64-encoded`);
        return { name: p.name, bytes: Buffer.from(p.contentBase64, 'base64') };
      });
      return deps.fieldTasks.report(staffOf(request), request.params.id, { ...rest, photos: decoded });
    },
  );

  app.post(
    '/api/field-tasks/:id/call',
    {
      schema: {
        tags: ['field-tasks'],
        summary:
          'Record the outcome of a voice call task of a warning (who called is the caller; answered counts as the warning reaching the party)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: CallBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...FIELD_ROLES),
    },
    async (request) => {
      const { calledAt, ...rest } = request.body;
      return recordCall(deps.pool, deps.fieldTasks, staffOf(request), request.params.id, {
        ...rest,
        ...(calledAt ? { calledAt: new Date(calledAt) } : {}),
      });
    },
  );
};
