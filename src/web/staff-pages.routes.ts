import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { pageStaff, staffPage } from './pages.js';

/** Where a member of staff lands: the page of their daily work, by role. */
export const staffPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', async (_request, reply) => reply.redirect('/staff'));

  app.get('/staff', { schema: { hide: true }, preHandler: staffPage() }, async (request, reply) => {
    const { role } = pageStaff(request);
    return reply.redirect(
      role === 'evidence_reviewer' || role === 'legal_reviewer'
        ? '/review'
        : role === 'agency_head'
          ? '/staff/cases'
          : '/staff/cameras',
    );
  });
};
