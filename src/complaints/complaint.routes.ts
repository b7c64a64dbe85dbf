import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { ComplaintService } from './complaint.service.js';

/** Staff JSON routes of complaints; the roles are in complaint-rules.ts, checked again by the service. */

export interface ComplaintRoutesDeps {
  complaints: ComplaintService;
}

const Status = Type.Union([
  Type.Literal('open'),
  Type.Literal('substantiated'),
  Type.Literal('not_substantiated'),
  Type.Literal('transferred'),
]);
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const StaffComplaintBody = Type.Object(
  {
    districtId: Type.Optional(Type.String({ maxLength: 32, description: 'District (admins only)' })),
    place: Type.Object(
      {
        text: Type.String({ minLength: 1, maxLength: 500 }),
        latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
      },
      { additionalProperties: false },
    ),
    content: Type.String({ minLength: 1, maxLength: 4000 }),
    reporter: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100 })),
          phone: Type.Optional(Type.String({ pattern: '^(\\+?[0-9]{3,20})?$' })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const OutcomeBody = Type.Object(
  {
    outcome: Type.Union([
      Type.Literal('substantiated'),
      Type.Literal('not_substantiated'),
      Type.Literal('transferred'),
    ]),
    note: Type.String({
      minLength: 1,
      maxLength: 2000,
      description: 'What the check found, told to the reporter',
    }),
    department: Type.Optional(
      Type.String({ maxLength: 200, description: 'For a transfer: the department it is passed to' }),
    ),
  },
  { additionalProperties: false },
);

export const complaintRoutes: FastifyPluginAsyncTypebox<ComplaintRoutesDeps> = async (app, deps) => {
  app.get(
    '/api/complaints',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Complaints of the caller district with their deadline flags',
        querystring: Type.Object({
          status: Type.Optional(Status),
          groupId: Type.Optional(Type.String({ format: 'uuid' })),
        }),
      },
      preHandler: requireStaff('admin', 'district_staff', 'agency_head'),
    },
    async (request) => ({ complaints: await deps.complaints.list(staffOf(request), request.query) }),
  );

  app.post(
    '/api/complaints',
    {
      schema: { tags: ['complaints'], summary: 'File a complaint taken by staff', body: StaffComplaintBody },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'agency_head'),
    },
    async (request, reply) => {
      const id = await deps.complaints.fileByStaff(staffOf(request), request.body);
      return reply.code(201).send({ complaint: await deps.complaints.detail(staffOf(request), id) });
    },
  );

  app.get(
    '/api/complaints/:id',
    {
      schema: {
        tags: ['complaints'],
        summary: 'One complaint; the reporter in clear only with showReporter and a role that may (audited)',
        params: Id,
        querystring: Type.Object({ showReporter: Type.Optional(Type.Boolean()) }),
      },
      preHandler: requireStaff('admin', 'district_staff', 'agency_head'),
    },
    async (request) => ({
      complaint: await deps.complaints.detail(
        staffOf(request),
        request.params.id,
        request.query.showReporter,
      ),
    }),
  );

  app.post(
    '/api/complaints/:id/outcome',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Record the outcome of the check',
        params: Id,
        body: OutcomeBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('district_staff', 'agency_head'),
    },
    async (request) => {
      await deps.complaints.decide(staffOf(request), request.params.id, request.body);
      return { complaint: await deps.complaints.detail(staffOf(request), request.params.id) };
    },
  );
};
