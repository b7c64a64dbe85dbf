import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { pageStaff, staffPage } from '../web/pages.js';
import type { CaseFileService } from './case-file.service.js';

/**
 * The files linked from the staff case page: issued documents, statement attachments and payment receipts.
 * Registered among the pages, so a refusal is the error page; the service checks the district and logs each
 * opening. A party's attachment is always a download, typed by its bytes, never shown in the page's origin.
 */

export interface CaseFileRouteDeps {
  caseFiles: CaseFileService;
}

const CaseId = Type.String({ format: 'uuid' });

export const caseFileRoutes: FastifyPluginAsyncTypebox<CaseFileRouteDeps> = async (app, deps) => {
  const signedIn = staffPage();

  app.get(
    '/staff/cases/:id/documents/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: CaseId,
          file: Type.String({ pattern: '^[0-9a-f-]{36}\\.(pdf|html)$' }),
        }),
      },
      preHandler: signedIn,
    },
    async (request, reply) => {
      const [noticeId, format] = request.params.file.split('.') as [string, 'pdf' | 'html'];
      const file = await deps.caseFiles.document(pageStaff(request), request.params.id, noticeId, format);
      reply.header('cache-control', 'private, no-store');
      if (format === 'pdf') {
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${file.kind}.pdf"`)
          .send(file.bytes);
      }
      // The sealed HTML keeps its own <style>; nothing in it may run.
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header(
          'content-security-policy',
          "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .send(file.bytes);
    },
  );

  app.get(
    '/staff/cases/:id/statements/:statementId/attachments/:index',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: CaseId,
          statementId: Type.String({ format: 'uuid' }),
          index: Type.Integer({ minimum: 0, maximum: 99 }),
        }),
      },
      preHandler: signedIn,
    },
    async (request, reply) => {
      const { id, statementId, index } = request.params;
      const file = await deps.caseFiles.attachment(pageStaff(request), id, statementId, index);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', file.contentDisposition)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .header('x-content-sha256', file.sha256)
        .send(file.bytes);
    },
  );

  // `<payment id>` is the sealed JSON receipt (kept for machine checks); `.pdf` and `.html` the readable one.
  app.get(
    '/staff/cases/:id/receipts/:file',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: CaseId,
          file: Type.String({
            pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(\\.(pdf|html))?$',
          }),
        }),
      },
      preHandler: signedIn,
    },
    async (request, reply) => {
      const [paymentId, extension] = request.params.file.split('.') as [string, 'pdf' | 'html' | undefined];
      const file = await deps.caseFiles.receipt(
        pageStaff(request),
        request.params.id,
        paymentId,
        extension ?? 'json',
      );
      reply.header('cache-control', 'private, no-store');
      if (file.format === 'pdf')
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="receipt-${file.orderId}.pdf"`)
          .send(file.body);
      if (file.format === 'html')
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header(
            'content-security-policy',
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
          )
          .send(file.body);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="receipt-${file.orderId}.json"`)
        .send(file.body);
    },
  );
};
