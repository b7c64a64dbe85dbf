import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { currentCatalogue } from '../law/catalogue-store.js';
import { benchmarkList, mattersList, noPenaltyListing } from '../law/published-standards.js';
import { sendPage } from './layout.js';
import { benchmarkPage, mattersPage, noPenaltyPage } from './public-standards.view.js';

/**
 * The published standards, Chinese first, from the catalogue version in force today: the matters handled by
 * non-site enforcement (Pudong art. 4), the discretion benchmark (APL art. 34) and the no-penalty list (免罚清单).
 * The same data as JSON under /api/public.
 */
export const publicStandardsPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/public/matters',
    { schema: { tags: ['public'], summary: 'Matters handled by non-site enforcement (Pudong art. 4)' } },
    async () => mattersList(await currentCatalogue()),
  );
  app.get(
    '/api/public/benchmark',
    {
      schema: {
        tags: ['public'],
        summary: 'The discretion benchmark per violation type and party kind, with its tiers (APL art. 34)',
      },
    },
    async () => benchmarkList(await currentCatalogue()),
  );
  app.get(
    '/api/public/no-penalty',
    {
      schema: {
        tags: ['public'],
        summary: 'Situations in which no penalty is given (免罚清单, APL art. 33)',
      },
    },
    async () => noPenaltyListing(await currentCatalogue()),
  );

  app.get('/public/matters', { schema: { hide: true } }, async (request, reply) => {
    const list = mattersList(await currentCatalogue());
    return sendPage(reply, mattersPage({ ...list, staff: request.staff ?? null }));
  });

  app.get('/public/benchmark', { schema: { hide: true } }, async (request, reply) => {
    const list = benchmarkList(await currentCatalogue());
    return sendPage(reply, benchmarkPage({ ...list, staff: request.staff ?? null }));
  });

  app.get('/public/no-penalty', { schema: { hide: true } }, async (request, reply) => {
    const list = noPenaltyListing(await currentCatalogue());
    return sendPage(reply, noPenaltyPage({ ...list, staff: request.staff ?? null }));
  });
};
