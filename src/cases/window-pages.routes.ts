import fastifyMultipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { ATTACHMENT_LIMITS } from '../portal/attachment-check.js';
import { readStatementForm } from '../portal/statement-form.js';
import { amountPaidFen } from '../payments/recorded-payment.routes.js';
import type { PaymentService } from '../payments/payment.service.js';
import { ValidationError } from '../shared/errors.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { WindowStatementService } from './statement-intake.service.js';
import type { StatementReviewService } from './statement-review.service.js';

/*
 * The window card's forms on the case page (window.view.ts): a statement taken at the window, a fine paid at the
 * bank, the day a postal delivery was signed for. Each answers with a redirect back to the case, or the error
 * page with the refusal in the form's element (#window-statement-error, #bank-payment-error, #postal-receipt-error).
 */

export interface WindowPageDeps {
  windowStatements: WindowStatementService;
  payments: PaymentService;
  statements: StatementReviewService;
}

const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const back = '/staff/cases/:id';

const StatementForm = Type.Object({
  _csrf: Type.String(),
  body: Type.String({ maxLength: ATTACHMENT_LIMITS.maxStatementChars * 4 }),
  takenOn: Type.Optional(Type.String({ maxLength: 10 })),
  files: Type.Array(Type.Object({ name: Type.String(), bytes: Type.Unsafe<Buffer>({}) }), {
    maxItems: ATTACHMENT_LIMITS.maxFiles,
  }),
});

/** The multipart form read before the token check, which looks for `_csrf` in the body. */
async function readMultipartForm(request: FastifyRequest): Promise<void> {
  const { body, files, fields } = await readStatementForm(request);
  request.body = { _csrf: fields._csrf ?? '', body, takenOn: fields.takenOn, files };
}

export const windowPageRoutes: FastifyPluginAsyncTypebox<WindowPageDeps> = async (app, deps) => {
  await app.register(fastifyMultipart, {
    limits: {
      fileSize: ATTACHMENT_LIMITS.maxBytes,
      files: ATTACHMENT_LIMITS.maxFiles,
      fields: 4,
      fieldSize: ATTACHMENT_LIMITS.maxStatementChars * 4,
      parts: 8,
    },
  });
  const signedIn = staffPage();

  app.post(
    '/staff/cases/:id/window-statement',
    {
      schema: { hide: true, params: CaseId, body: StatementForm },
      config: { errorPage: { id: 'window-statement-error', back } },
      preValidation: [readMultipartForm, app.csrfProtection],
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id } = request.params;
      const { body, takenOn, files } = request.body;
      await deps.windowStatements.record(pageStaff(request), id, {
        body,
        takenOn: takenOn?.trim() || undefined,
        files: files.map((f) => ({
          name: f.name,
          bytes: Buffer.isBuffer(f.bytes) ? f.bytes : Buffer.alloc(0),
        })),
      });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/bank-payment',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          channel: Type.String({ maxLength: 20 }),
          receiptNumber: Type.String({ maxLength: 64 }),
          paidOn: Type.String({ maxLength: 10 }),
          amountYuan: Type.String({ maxLength: 20 }),
        }),
      },
      config: { errorPage: { id: 'bank-payment-error', back } },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id } = request.params;
      const form = request.body;
      const channel = form.channel === 'bank' || form.channel === 'counter' ? form.channel : null;
      if (!channel) throw new ValidationError('the payment was made at the bank or at its counter');
      await deps.payments.recordPayment(pageStaff(request), id, {
        channel,
        receiptNumber: form.receiptNumber,
        paidOn: form.paidOn.trim(),
        amountFen: amountPaidFen({ amountYuan: form.amountYuan.trim() }),
      });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/postal-receipt',
    {
      schema: {
        hide: true,
        params: CaseId,
        body: Type.Object({
          _csrf: Type.Optional(Type.String()),
          noticeId: Type.String({ format: 'uuid' }),
          receivedOn: Type.String({ maxLength: 10 }),
        }),
      },
      config: { errorPage: { id: 'postal-receipt-error', back } },
      preValidation: app.csrfProtection,
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.statements.recordPostalDelivery(
        pageStaff(request),
        id,
        request.body.noticeId,
        request.body.receivedOn.trim(),
      );
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );
};
