import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { maskedParty } from './party-view.js';
import type { PartyService } from './party.service.js';

export interface PartyRoutesDeps {
  parties: PartyService;
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
    async (request) => ({
      parties: (await deps.parties.search(staffOf(request), request.query.q)).map(maskedParty),
    }),
  );

  app.post(
    '/api/parties',
    {
      schema: { tags: ['parties'], summary: 'Add a party to the register', body: PartyBody },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => {
      const id = await deps.parties.register(staffOf(request), request.body);
      return reply.status(201).send({ id });
    },
  );
};
