import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import { canActInDistrict, districtScope } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { ConflictError, ForbiddenError } from '../shared/errors.js';
import { insertParty, listParties, type PartyRow } from './party.repo.js';

export interface PartyRoutesDeps {
  pool: Pool;
}

const PartyBody = Type.Object(
  {
    districtId: Type.Optional(
      Type.String({ maxLength: 32, description: 'District (admins only; staff use their own)' }),
    ),
    kind: Type.Union([Type.Literal('person'), Type.Literal('unit')], {
      description: 'A person or a unit (shop, company)',
    }),
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Name of the person or registered name of the unit',
    }),
    idNumber: Type.String({
      pattern: '^[0-9A-Z]{15,18}$',
      description: 'Unified social credit code (units) or ID number (persons)',
    }),
    phone: Type.Optional(
      Type.Union([Type.String({ pattern: '^\\+?[0-9]{6,15}$' }), Type.Null()], {
        description: 'Mobile number for notices',
      }),
    ),
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()], {
        description: 'E-mail for notices',
      }),
    ),
    address: Type.Optional(Type.String({ maxLength: 500, description: 'Registered or business address' })),
    onlineDeliveryConsent: Type.Optional(
      Type.Boolean({ description: 'The party consented to online delivery (Pudong art. 13)' }),
    ),
    consentChannel: Type.Optional(
      Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'How consent was given' }),
    ),
  },
  { additionalProperties: false },
);

/** Contact details are masked in lists: staff see enough to tell parties apart, not to harvest numbers. */
function toView(p: PartyRow) {
  return {
    id: p.id,
    districtId: p.district_id,
    kind: p.kind,
    name: p.name,
    idNumber: p.id_number.replace(/^(.{4}).*(.{4})$/, '$1••••$2'),
    phone: p.phone
      ? p.phone.replace(/^(.*)(\d{4})$/, (_m, a: string, b: string) => `${'•'.repeat(a.length)}${b}`)
      : null,
    onlineDeliveryConsent: p.online_delivery_consent,
  };
}

export const partyRoutes: FastifyPluginAsyncTypebox<PartyRoutesDeps> = async (app, deps) => {
  app.get(
    '/api/parties',
    {
      schema: {
        tags: ['parties'],
        summary: 'Search the party register of the caller district',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }),
      },
      preHandler: requireStaff(),
    },
    async (request) => {
      const staff = staffOf(request);
      const q = request.query.q;
      const rows = await listParties(deps.pool, districtScope(staff), { q, limit: 50 });
      // personal data: every search of the register is on the record (Pudong art. 16)
      await appendAuditNow(deps.pool, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'party.search',
        districtId: staff.districtId,
        data: { q: q ?? null, results: rows.length },
      });
      return { parties: rows.map(toView) };
    },
  );

  app.post(
    '/api/parties',
    {
      schema: { tags: ['parties'], summary: 'Add a party to the register', body: PartyBody },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const body = request.body;
      const districtId = body.districtId ?? staff.districtId;
      if (!districtId || !canActInDistrict(staff, districtId))
        throw new ForbiddenError('cannot add parties to that district');
      await assertDistrictExists(deps.pool, districtId);
      const id = await withTransaction(deps.pool, async (tx) => {
        const newId = await insertParty(tx, districtId, body).catch((err: { code?: string }) => {
          if (err.code === '23505')
            throw new ConflictError('a party with this id number is already registered');
          throw err;
        });
        await appendAudit(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: 'party.create',
          subjectKind: 'party',
          subjectId: newId,
          districtId,
          data: { kind: body.kind },
        });
        return newId;
      });
      return reply.status(201).send({ id });
    },
  );
};
