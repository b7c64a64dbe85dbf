import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { keepRawJsonBody } from '../http/raw-body.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyPayload } from '../notices/hmac-signature.js';
import { UnauthorizedError } from '../shared/errors.js';
import type { ComplaintService } from './complaint.service.js';

/**
 * The city hotline (12345) hands a complaint over: HMAC-SHA256 over `<timestamp>.<raw body>` with HOTLINE_SECRET
 * (src/notices/hmac-signature.ts), the timestamp within five minutes of ours. The hotline's complaint number makes
 * it idempotent: a number already recorded answers 200 with that complaint and changes nothing; a new one 201.
 */

export const HotlineComplaintBody = Type.Object(
  {
    complaintNumber: Type.String({
      pattern: '^[A-Za-z0-9-]{1,64}$',
      description: "The hotline's own complaint number (工单号): the idempotency key",
    }),
    districtId: Type.String({
      minLength: 1,
      maxLength: 32,
      description: 'The district the hotline routes it to',
    }),
    receivedAt: Type.Optional(
      Type.String({ format: 'date-time', description: 'When the hotline took the complaint' }),
    ),
    place: Type.Object(
      {
        text: Type.String({ minLength: 1, maxLength: 500, description: 'The place as the reporter said it' }),
        latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
        longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
      },
      { additionalProperties: false },
    ),
    content: Type.String({ minLength: 1, maxLength: 4000, description: 'What the reporter complains about' }),
    reporter: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 100 })),
          phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9]{3,20}$' })),
        },
        { additionalProperties: false, description: 'Kept confidential (art. 26 para. 3)' },
      ),
    ),
  },
  { additionalProperties: false },
);

export interface HotlineRoutesDeps {
  config: { hotlineSecret: string };
  complaints: ComplaintService;
}

export const hotlineRoutes: FastifyPluginAsyncTypebox<HotlineRoutesDeps> = async (app, deps) => {
  keepRawJsonBody(app);
  // the signature is checked before the body is validated: an unsigned request learns nothing of the schema
  const signedByHotline = async (request: FastifyRequest) => {
    const check = verifyPayload(
      deps.config.hotlineSecret,
      { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER] },
      request.rawBody ?? '',
    );
    if (!check.ok) {
      request.log.warn({ url: request.routeOptions.url, reason: check.reason }, 'hotline request refused');
      throw new UnauthorizedError(`hotline signature refused: ${check.reason}`);
    }
  };

  app.post(
    '/api/hotline/complaints',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Signed hand-over of a complaint from the city hotline (idempotent on its complaint number)',
        body: HotlineComplaintBody,
      },
      preValidation: signedByHotline,
    },
    async (request, reply) => {
      const { complaint, created } = await deps.complaints.receiveFromHotline(request.body);
      return reply.code(created ? 201 : 200).send({ complaint });
    },
  );

  // The outcomes go back to the hotline by its own fetch (signed like the hand-over), then its acknowledgement:
  // no address of the hotline system is needed here, and a lost answer is fetched again.
  app.post(
    '/api/hotline/replies/fetch',
    {
      schema: {
        tags: ['complaints'],
        summary:
          'Signed: the outcomes waiting for the hotline (substantiated, not substantiated, transferred)',
        body: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
      },
      preValidation: signedByHotline,
    },
    async (request) => ({ replies: await deps.complaints.hotlineReplies(request.body.limit ?? 100) }),
  );

  app.post(
    '/api/hotline/replies/ack',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Signed: the hotline took these replies',
        body: Type.Object(
          { ids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }) },
          { additionalProperties: false },
        ),
      },
      preValidation: signedByHotline,
    },
    async (request) => ({ acknowledged: await deps.complaints.acknowledgeHotlineReplies(request.body.ids) }),
  );
};
