import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { districtScope } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { MAX_LIST_OFFSET } from '../http/input-guard.js';
import { caseDetail } from './case-detail.service.js';
import { CASE_STATES } from './case-state.js';
import { listCases } from './case.repo.js';

/** The staff API of cases: lists and details scoped to the caller's district (statements and hearings beside it). */

export interface CaseRoutesDeps {
  pool: Pool;
}

export const CaseId = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const caseRoutes: FastifyPluginAsyncTypebox<CaseRoutesDeps> = async (app, deps) => {
  app.get(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'Cases of the caller district, newest first',
        querystring: Type.Object({
          status: Type.Optional(Type.Union(CASE_STATES.map((s) => Type.Literal(s)))),
          flagged: Type.Optional(Type.Boolean({ description: 'Only cases with a deadline flag' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LIST_OFFSET })),
        }),
      },
      preHandler: requireStaff(),
    },
    async (request) => {
      const q = request.query;
      const rows = await listCases(deps.pool, districtScope(staffOf(request)), {
        status: q.status,
        flagged: q.flagged,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      return { cases: rows };
    },
  );

  app.get(
    '/api/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'One case with every step, deadline, document and delivery (logged)',
        params: CaseId,
      },
      preHandler: requireStaff(),
    },
    async (request) => {
      const d = await caseDetail(deps.pool, staffOf(request), request.params.id);
      return {
        case: { ...d.caseRow, benchmark: d.caseRow.benchmark },
        party: d.party
          ? {
              id: d.party.id,
              name: d.party.name,
              kind: d.party.kind,
              onlineDeliveryConsent: d.party.online_delivery_consent,
            }
          : null,
        plan: d.plan,
        events: d.events,
        notices: d.notices.map((n) => ({
          id: n.id,
          kind: n.kind,
          issuedOn: n.issued_on,
          documentSha256: n.document_sha256,
          acknowledgedAt: n.acknowledged_at,
        })),
        deliveries: d.deliveries.map((x) => ({
          id: x.id,
          kind: x.kind,
          channel: x.channel,
          status: x.status,
          attempts: x.attempts,
          lastError: x.last_error,
          sentAt: x.sent_at,
          deliveredAt: x.delivered_at,
        })),
        postalNeeded: d.postalNeeded.map((x) => x.notice_id),
        statements: d.statements,
        hearing: d.hearing,
        payments: d.payments.map((p) => ({
          id: p.id,
          status: p.status,
          amountFen: p.amount_fen,
          lateFeeFen: p.late_fee_fen,
          orderId: p.gateway_order_id,
          paidAt: p.paid_at,
        })),
      };
    },
  );
};
