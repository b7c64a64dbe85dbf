import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import type { AlertService } from './alert.service.js';
import { ALERT_ACTORS, ALERT_READERS } from './alert.service.js';
import { alertDetailView, alertListView } from './alert.view.js';

/** The staff pages of alerts: the list with its filters, one alert with its history, acknowledge and resolve. */

export interface AlertPageDeps {
  alerts: AlertService;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

const ListQuery = Type.Object({
  // an empty select (all) is sent as an empty value
  state: Type.Optional(
    Type.Union([literals(['open', 'acknowledged', 'resolved', 'unresolved'] as const), Type.Literal('')]),
  ),
  kind: Type.Optional(
    Type.Union([
      literals([
        'camera_offline',
        'capture_volume',
        'false_positive_rate',
        'review_backlog',
        'queue_stalled',
        'detector_failing',
      ] as const),
      Type.Literal(''),
    ]),
  ),
});

const CsrfBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) });

export const alertPageRoutes: FastifyPluginAsyncTypebox<AlertPageDeps> = async (app, deps) => {
  const readers = staffPage(...ALERT_READERS);
  const actors = staffPage(...ALERT_ACTORS);

  app.get(
    '/staff/alerts',
    { schema: { hide: true, querystring: ListQuery }, preHandler: readers },
    async (request, reply) => {
      const staff = pageStaff(request);
      const { state, kind } = request.query;
      const data = await deps.alerts.list(staff, { state: state || undefined, kind: kind || undefined });
      return sendPage(reply, alertListView(data, staff));
    },
  );

  app.get(
    '/staff/alerts/:id',
    { schema: { hide: true, params: Id }, preHandler: readers },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await deps.alerts.detail(staff, request.params.id);
      return sendPage(reply, alertDetailView(data, staff, reply.generateCsrf()));
    },
  );

  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post(
      `/staff/alerts/:id/${action}`,
      {
        schema: { hide: true, params: Id, body: CsrfBody },
        config: { errorPage: { back: '/staff/alerts/:id' } },
        preValidation: app.csrfProtection,
        preHandler: actors,
      },
      async (request, reply) => {
        const { id } = request.params;
        await deps.alerts[action](pageStaff(request), id);
        return reply.redirect(`/staff/alerts/${id}`, 303);
      },
    );
  }
};
