import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.js';
import { keepRawJsonBody } from '../http/raw-body.js';
import type { PaymentService } from './payment.service.js';

export interface PaymentRoutesDeps {
  config: Config;
  payments: PaymentService;
}

/**
 * The provider's callback. The body is read raw for the signature check; the answer tells the provider to stop
 * retrying (200) unless the signature failed (401). Every accepted callback is kept; refused ones are rate-limited
 * per address (429 past the limit, not stored), kept only as a short summary, and only the newest few.
 */
export const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesDeps> = async (app, deps) => {
  keepRawJsonBody(app);
  app.post(
    '/api/payments/callback/:gateway',
    {
      schema: {
        tags: ['payments'],
        summary: 'Signed payment notification from the payment provider',
        params: Type.Object({ gateway: Type.String({ pattern: '^[a-z0-9_-]{1,32}$' }) }),
      },
    },
    async (request, reply) => {
      const { gateway } = request.params;
      if (gateway !== deps.config.paymentGatewayName || !deps.payments.available) {
        return reply.status(404).send({ error: 'not_found', message: `no payment gateway named ${gateway}` });
      }
      const result = await deps.payments.handleCallback(request.headers, request.rawBody ?? '', request.ip);
      request.log.info({ outcome: result.outcome }, 'payment callback');
      return reply.status(result.httpStatus).send({ outcome: result.outcome });
    },
  );
};
