import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { maskedParty } from './party-view.js';
import type { ShopFrontLinkService } from '../cameras/shop-front-link.service.js';
import type { PartyImportService } from './party-import.service.js';
import { REGISTER_ROLES, type PartyService } from './party.service.js';
import { MAX_CSV_CHARS } from './shop-register-csv.js';

export interface PartyRoutesDeps {
  parties: PartyService;
  partyImport: PartyImportService;
  shopFronts: ShopFrontLinkService;
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
    idNumber: Type.Optional(
      Type.Union([Type.String({ pattern: '^[0-9A-Za-z]{18}$' }), Type.Null()], {
        description:
          'Unified social credit code (units, GB 32100) or ID number (persons, GB 11643), checked by its check character; absent when the party has none on record',
      }),
    ),
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
    confirmSamePlace: Type.Optional(
      Type.Boolean({
        description:
          'Add the shop although one of the same name and address is registered (the 409 answer names it)',
      }),
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
      preHandler: requireStaff(...REGISTER_ROLES),
    },
    async (request, reply) => {
      const id = await deps.parties.register(staffOf(request), request.body);
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/parties/import',
    {
      schema: {
        tags: ['parties'],
        summary: 'Import shops from a register CSV file (docs/parties.md); a dry run stores nothing',
        body: Type.Object(
          {
            csv: Type.String({ minLength: 1, maxLength: MAX_CSV_CHARS, description: 'The file, UTF-8 text' }),
            dryRun: Type.Boolean({ description: 'Report what would be imported and refused, store nothing' }),
            districtId: Type.Optional(Type.String({ maxLength: 32, description: 'District (admins only)' })),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REGISTER_ROLES),
    },
    async (request) => deps.partyImport.run(staffOf(request), request.body),
  );

  app.post(
    '/api/parties/:id/shop-front',
    {
      schema: {
        tags: ['parties'],
        summary: "Link a camera's shop-front zone to this shop: its door line names the party",
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { cameraId: Type.String({ format: 'uuid' }), zoneId: Type.String({ format: 'uuid' }) },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff'),
    },
    async (request, reply) => {
      await deps.shopFronts.link(staffOf(request), { ...request.body, partyId: request.params.id });
      return reply.status(204).send();
    },
  );
};
