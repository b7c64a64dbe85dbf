import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { CaseId } from '../cases/case.routes.js';
import { AmountError, parseYuan } from '../law/money.js';
import { ValidationError } from '../shared/errors.js';
import type { PaymentService } from './payment.service.js';

/** The staff API of a fine paid at the designated bank (its branch or its counter), from the bank's receipt. */

export interface RecordedPaymentRoutesDeps {
  payments: PaymentService;
}

export const RECEIPT_NUMBER_PATTERN = '^[0-9A-Za-z][0-9A-Za-z/-]{0,63}$';

const BankPaymentBody = Type.Object(
  {
    channel: Type.Union([Type.Literal('bank'), Type.Literal('counter')], {
      description:
        "bank: at a branch of the designated bank; counter: at the bank's counter in the service hall",
    }),
    receiptNumber: Type.String({
      pattern: RECEIPT_NUMBER_PATTERN,
      description: "The bank's receipt number (回单号); a number already recorded is refused",
    }),
    paidOn: Type.String({ format: 'date', description: 'The day paid, as the receipt shows (Beijing date)' }),
    amountFen: Type.Optional(Type.Integer({ minimum: 1, description: 'The amount paid, in fen' })),
    amountYuan: Type.Optional(
      Type.String({
        maxLength: 20,
        description: 'The same in 元 (at most two decimals); instead of amountFen',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The amount given once, in fen or in 元. */
export function amountPaidFen(body: { amountFen?: number; amountYuan?: string }): number {
  if (body.amountYuan === undefined) {
    if (body.amountFen === undefined) throw new ValidationError('give the amount paid, in fen or in 元');
    return body.amountFen;
  }
  if (body.amountFen !== undefined) throw new ValidationError('give the amount paid once, in fen or in 元');
  try {
    return parseYuan(body.amountYuan);
  } catch (error) {
    if (error instanceof AmountError) throw new ValidationError(error.message);
    throw error;
  }
}

export const recordedPaymentRoutes: FastifyPluginAsyncTypebox<RecordedPaymentRoutesDeps> = async (
  app,
  deps,
) => {
  app.post(
    '/api/cases/:id/bank-payment',
    {
      schema: {
        tags: ['payments', 'cases'],
        summary:
          'Record a fine paid at the designated bank (APL art. 67): the amount must be the fine plus the late fee up to the day paid (art. 72); the case is then paid and closed, with a sealed receipt',
        params: CaseId,
        body: BankPaymentBody,
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff('district_staff', 'legal_reviewer', 'admin'),
    },
    async (request) => {
      const body = request.body;
      return deps.payments.recordPayment(staffOf(request), request.params.id, {
        channel: body.channel,
        receiptNumber: body.receiptNumber,
        paidOn: body.paidOn,
        amountFen: amountPaidFen(body),
      });
    },
  );
};
