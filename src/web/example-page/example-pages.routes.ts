import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Pool } from '../../db/pool.js';
import { sendPage } from '../layout.js';
import { pageStaff, staffPage } from '../pages.js';
import { openTasksPage } from './example-pages.service.js';
import { openTasksView } from './example-pages.view.js';

/** What the plugin needs, named here (not AppDeps): src/app/api.ts passes it in. */
export interface ExamplePageDeps {
  pool: Pool;
}

/**
 * 3. The route: guard, page data, view. Registered inside the pages context of src/app/api.ts, whose error
 * handler renders any error thrown here as the error page, so the route never catches one itself. Params,
 * query and body get TypeBox schemas, which type `request.params` and the rest: no casts.
 */
export const examplePageRoutes: FastifyPluginAsyncTypebox<ExamplePageDeps> = async (app, deps) => {
  app.get(
    '/staff/example/:stage',
    {
      schema: { hide: true, params: Type.Object({ stage: Type.String({ maxLength: 20 }) }) },
      preHandler: staffPage('admin', 'legal_reviewer'),
      // A form's page may name its error message element and a way back: see ErrorPageOptions in ../pages.ts.
      config: { errorPage: { back: '/staff' } },
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await openTasksPage(deps.pool, staff, request.params.stage);
      return sendPage(reply, openTasksView(data, staff));
    },
  );
};
