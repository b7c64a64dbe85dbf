import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { CaseId } from './case.routes.js';
import type { HearingService } from './hearing.service.js';

/** The staff API of a case's hearing (APL art. 63-65): scheduling it and keeping its record. */

export interface HearingRoutesDeps {
  hearings: HearingService;
}

export const hearingRoutes: FastifyPluginAsyncTypebox<HearingRoutesDeps> = async (app, deps) => {
  app.post(
    '/api/cases/:id/hearing/schedule',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Schedule the hearing: time at least seven working days after the notice, place, a host who did not investigate the case, a clerk (APL art. 64)',
        params: CaseId,
        body: Type.Object(
          {
            at: Type.String({ format: 'date-time', description: 'When the hearing is held' }),
            place: Type.String({ minLength: 1, maxLength: 200 }),
            hostId: Type.String({
              format: 'uuid',
              description: 'Staff member who hosts; not an investigator',
            }),
            clerkId: Type.String({ format: 'uuid', description: 'Staff member who keeps the record' }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) => deps.hearings.schedule(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/hearing/record',
    {
      schema: {
        tags: ['cases'],
        summary:
          "The hearing record (听证笔录) and the party's one or two representatives; the decision rests on it",
        params: CaseId,
        body: Type.Object(
          {
            heldAt: Type.String({ format: 'date-time' }),
            record: Type.String({ minLength: 1, maxLength: 100_000, description: 'The record as written' }),
            representatives: Type.Optional(
              Type.Array(
                Type.Object(
                  {
                    name: Type.String({ minLength: 1, maxLength: 100 }),
                    relation: Type.Optional(Type.String({ maxLength: 100 })),
                  },
                  { additionalProperties: false },
                ),
                { maxItems: 10, description: 'At most two are accepted (APL art. 64 (5))' },
              ),
            ),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request) => deps.hearings.record(staffOf(request), request.params.id, request.body),
  );
};
