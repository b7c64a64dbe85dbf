import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import type { CreditRepairService } from './credit-repair.service.js';

/** Staff JSON route of credit repair: an application on the party's behalf, idempotent on its request key. */

export interface CreditRoutesDeps {
  creditRepairs: CreditRepairService;
}

export const creditRoutes: FastifyPluginAsyncTypebox<CreditRoutesDeps> = async (app, deps) => {
  app.post(
    '/api/credit/items/:id/repairs',
    {
      schema: {
        tags: ['staff'],
        summary: 'Apply for the credit repair of a published item (SH social credit regulation art. 38)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          {
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
            requestKey: Type.String({
              pattern: '^[A-Za-z0-9._:-]{8,128}$',
              description: 'Chosen by the caller; the same key again answers the first application',
            }),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer', 'agency_head'),
    },
    async (request, reply) => {
      const { repair, created } = await deps.creditRepairs.applyByStaff(staffOf(request), {
        itemId: request.params.id,
        ...request.body,
      });
      return reply.code(created ? 201 : 200).send({ repair });
    },
  );
};
