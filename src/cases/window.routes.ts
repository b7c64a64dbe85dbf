import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { ATTACHMENT_LIMITS } from '../portal/attachment-check.js';
import { ValidationError } from '../shared/errors.js';
import { CaseId } from './case.routes.js';
import { WINDOW_STAFF, type UploadedFile, type WindowStatementService } from './statement-intake.service.js';

/** The staff API of the designated window (Pudong art. 12): a statement the party made there. */

export interface WindowRoutesDeps {
  windowStatements: WindowStatementService;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Base64 makes 4 characters of every 3 bytes.
const MAX_BASE64 = Math.ceil(ATTACHMENT_LIMITS.maxBytes / 3) * 4;

const WindowStatementBody = Type.Object(
  {
    body: Type.String({
      minLength: 1,
      maxLength: ATTACHMENT_LIMITS.maxStatementChars,
      description: 'What the party stated, as taken down at the window',
    }),
    takenOn: Type.Optional(
      Type.String({ format: 'date', description: 'The day it was taken (Beijing date); today when absent' }),
    ),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 255 }),
            contentBase64: Type.String({ minLength: 1, maxLength: MAX_BASE64 }),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: ATTACHMENT_LIMITS.maxFiles,
          description: 'What the party handed in: JPEG, PNG or PDF, recognised by their bytes',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const windowRoutes: FastifyPluginAsyncTypebox<WindowRoutesDeps> = async (app, deps) => {
  app.post(
    '/api/cases/:id/window-statement',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Record a statement the party made at the designated window (Pudong art. 12), with who took it; the case moves as for one made online',
        params: CaseId,
        body: WindowStatementBody,
      },
      bodyLimit: (MAX_BASE64 + 1024) * ATTACHMENT_LIMITS.maxFiles + ATTACHMENT_LIMITS.maxStatementChars * 8,
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...WINDOW_STAFF),
    },
    async (request) => {
      const { body, takenOn, attachments = [] } = request.body;
      const files: UploadedFile[] = attachments.map((a, i) => {
        if (!BASE64.test(a.contentBase64))
          throw new ValidationError(`attachment ${i + 1} is not base64-encoded`);
        return { name: a.name, bytes: Buffer.from(a.contentBase64, 'base64') };
      });
      return deps.windowStatements.record(staffOf(request), request.params.id, { body, takenOn, files });
    },
  );
};
