import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.js';
import type { Pool } from '../db/pool.js';
import { keepRawJsonBody } from '../http/raw-body.js';
import { UnauthorizedError } from '../shared/errors.js';
import { recordReceipt } from './delivery.service.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyPayload } from './hmac-signature.js';

/**
 * Delivery receipts from the SMS gateway and the push service, signed with the channel's shared secret over
 * the raw body. A receipt for an unknown message, or one that arrives twice, changes nothing.
 */

const ReceiptBody = Type.Object({
  messageId: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "The provider's message id returned by the send",
  }),
  clientRef: Type.Optional(Type.String({ maxLength: 100, description: 'Our delivery id, echoed back' })),
  status: Type.Union([Type.Literal('delivered'), Type.Literal('failed')], {
    description: 'What became of the message',
  }),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'When the provider saw it happen' })),
  detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export interface DeliveryReceiptDeps {
  config: Config;
  pool: Pool;
}

export const deliveryReceiptRoutes: FastifyPluginAsyncTypebox<DeliveryReceiptDeps> = async (app, deps) => {
  keepRawJsonBody(app);
  const secrets = { sms: deps.config.smsGatewaySecret, push: deps.config.pushGatewaySecret };

  app.post(
    '/api/deliveries/receipts/:channel',
    {
      schema: {
        tags: ['notices'],
        summary: 'Signed delivery receipt from the SMS gateway or the push service',
        params: Type.Object({ channel: Type.Union([Type.Literal('sms'), Type.Literal('push')]) }),
        body: ReceiptBody,
      },
    },
    async (request) => {
      const channel = request.params.channel;
      const check = verifyPayload(
        secrets[channel],
        { timestamp: request.headers[TIMESTAMP_HEADER], signature: request.headers[SIGNATURE_HEADER] },
        request.rawBody ?? '',
      );
      if (!check.ok) {
        request.log.warn({ channel, reason: check.reason }, 'delivery receipt refused');
        throw new UnauthorizedError(`receipt signature refused: ${check.reason}`);
      }
      const body = request.body;
      const updated = await recordReceipt(deps.pool, {
        channel,
        providerMessageId: body.messageId,
        status: body.status,
        at: body.at ? new Date(body.at) : new Date(),
        detail: { status: body.status, at: body.at ?? null, ...(body.detail ?? {}) },
      });
      return { applied: updated !== null };
    },
  );
};
