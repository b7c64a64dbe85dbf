import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Pool } from '../db/pool.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { reviewQueuePage, reviewTaskPage } from './review-pages.service.js';
import { reviewQueueView, reviewTaskView } from './review-pages.view.js';
import type { ReviewService } from './review.service.js';

export interface ReviewPageDeps {
  pool: Pool;
  review: ReviewService;
}

const reviewers = staffPage('admin', 'evidence_reviewer', 'legal_reviewer');

/** The review workbench: the queue, and one task (its scripts call the review API to claim and decide). */
export const reviewPageRoutes: FastifyPluginAsyncTypebox<ReviewPageDeps> = async (app, deps) => {
  app.get(
    '/review',
    {
      schema: {
        hide: true,
        querystring: Type.Object({
          empty: Type.Optional(Type.String()),
          filed: Type.Optional(Type.String({ format: 'uuid' })),
        }),
      },
      preHandler: reviewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await reviewQueuePage(deps.pool, staff, request.query.empty === '1', request.query.filed);
      return sendPage(reply, reviewQueueView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );

  app.get(
    '/review/tasks/:id',
    {
      schema: {
        hide: true,
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ filed: Type.Optional(Type.String({ format: 'uuid' })) }),
      },
      preHandler: reviewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await reviewTaskPage(
        deps.pool,
        deps.review,
        staff,
        request.params.id,
        request.query.filed,
      );
      return sendPage(reply, reviewTaskView(data, { staff, csrfToken: reply.generateCsrf() }));
    },
  );
};
