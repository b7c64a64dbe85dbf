import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff, staffOf } from '../auth/auth.plugin.js';
import { districtScope } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { REJECT_REASON_CODES } from './review-reasons.js';
import { queueCounts } from './review.repo.js';
import { exportReviewedDataset } from './dataset-export.service.js';
import type { ReviewService } from './review.service.js';
import type { EvidenceFileService } from './evidence-file.service.js';
import { findParty } from '../parties/party.repo.js';
import { maskedParty } from '../parties/party-view.js';
import { CIRCUMSTANCE_CODES, CORRECTION_SEEN_BY, type CorrectionSeenBy } from '../law/circumstances.js';
import { chineseCapitalAmount, formatYuan } from '../law/money.js';
import type { BlobStore } from '../storage/blob-store.js';

export interface ReviewRoutesDeps {
  pool: Pool;
  blobs: BlobStore;
  review: ReviewService;
  evidenceFiles: EvidenceFileService;
}

const TaskId = Type.Object({ id: Type.String({ format: 'uuid' }) });
const REVIEWERS = ['admin', 'evidence_reviewer', 'legal_reviewer'] as const;
const SEEN_BY = Object.keys(CORRECTION_SEEN_BY) as CorrectionSeenBy[];

const Circumstances = Type.Array(
  Type.Object(
    {
      code: Type.String({
        maxLength: 64,
        description: `A circumstance of the catalogue: ${CIRCUMSTANCE_CODES.join(', ')}`,
      }),
      basis: Type.String({ maxLength: 1000, description: 'The facts or evidence the finding rests on' }),
      note: Type.Optional(Type.String({ maxLength: 1000 })),
      seenBy: Type.Optional(
        Type.Union(
          SEEN_BY.map((k) => Type.Literal(k)),
          { description: 'corrected_in_time only: how the correction was seen' },
        ),
      ),
    },
    { additionalProperties: false },
  ),
  { maxItems: 20, description: 'Legal stage: the circumstances found (APL art. 32-34)' },
);

const DecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('more_evidence')], {
      description: 'The decision',
    }),
    reasonCode: Type.Optional(
      Type.Union(
        REJECT_REASON_CODES.map((c) => Type.Literal(c)),
        { description: 'Why it is rejected' },
      ),
    ),
    reasonText: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Free text (required for "other")' }),
    ),
    partyId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Legal stage: the party the case is against' }),
    ),
    circumstances: Type.Optional(Circumstances),
    sendToField: Type.Optional(
      Type.Boolean({
        description:
          'Legal stage: approve the evidence without a party; the district patrol identifies it on site (field task)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const reviewRoutes: FastifyPluginAsyncTypebox<ReviewRoutesDeps> = async (app, deps) => {
  const { review } = deps;

  app.get(
    '/api/review/queue',
    {
      schema: { tags: ['review'], summary: 'Open and claimed tasks per stage in the caller districts' },
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => ({ stages: await queueCounts(deps.pool, districtScope(staffOf(request))) }),
  );

  app.post(
    '/api/review/claim',
    {
      schema: {
        tags: ['review'],
        summary: 'Claim the next task (or get the one already held)',
        body: Type.Object(
          {
            stage: Type.Optional(
              Type.Union([Type.Literal('evidence'), Type.Literal('legal')], { description: 'Admins only' }),
            ),
            violationType: Type.Optional(Type.String({ maxLength: 64 })),
            cameraId: Type.Optional(Type.String({ format: 'uuid' })),
            order: Type.Optional(Type.Union([Type.Literal('oldest'), Type.Literal('priority')])),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request, reply) => {
      const body = request.body;
      const task = await review.claimNext(staffOf(request), { ...body, order: body.order ?? 'oldest' });
      if (!task) return reply.status(204).send();
      return {
        task: { id: task.id, stage: task.stage, leaseExpiresAt: task.lease_expires_at?.toISOString() },
      };
    },
  );

  app.post(
    '/api/review/tasks/:id/decision',
    {
      schema: { tags: ['review'], summary: 'Decide a held task', params: TaskId, body: DecisionBody },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => review.decide(staffOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/review/tasks/:id/suggestion',
    {
      schema: {
        tags: ['review'],
        summary:
          'The penalty the benchmark suggests with these circumstances, with the reasons the decision prints',
        params: TaskId,
        body: Type.Object(
          {
            partyId: Type.Optional(Type.String({ format: 'uuid' })),
            circumstances: Type.Optional(Circumstances),
          },
          { additionalProperties: false },
        ),
      },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => {
      const body = request.body;
      const result = await review.suggest(
        staffOf(request),
        request.params.id,
        body.partyId ?? null,
        body.circumstances ?? [],
      );
      const party = body.partyId ? await findParty(deps.pool, body.partyId) : null;
      return {
        catalogueVersion: result.catalogue.version,
        priorViolations: result.priorViolations,
        // What the first document of the case (the advance notice or the no-penalty decision) is issued to, and how.
        recipient: party
          ? {
              name: party.name,
              channel: party.online_delivery_consent ? '网上送达（当事人已书面同意）' : '邮寄送达',
            }
          : null,
        suggestions: result.suggestions.map(({ partyKind, decision }) => ({
          partyKind,
          tierId: decision.tierId,
          tierLabel: decision.tierLabel,
          penalty: decision.penalty,
          fineFen: decision.fineFen,
          amount: decision.penalty === 'none' ? '不予处罚' : formatYuan(decision.fineFen),
          amountInCapitals: decision.penalty === 'none' ? null : chineseCapitalAmount(decision.fineFen),
          reasons: decision.reasons,
        })),
      };
    },
  );

  app.get(
    '/api/review/tasks/:id/parties',
    {
      schema: {
        tags: ['review'],
        summary:
          "The register's parties of the task's district (the zone's linked party first), each with its kind",
        params: TaskId,
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of a name, or an id number' })),
          },
          { additionalProperties: false },
        ),
      },
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request) => ({
      parties: (await review.partiesForTask(staffOf(request), request.params.id, request.query.q)).map(
        maskedParty,
      ),
    }),
  );

  app.post(
    '/api/review/tasks/:id/release',
    {
      schema: { tags: ['review'], summary: 'Give a held task back to the queue', params: TaskId },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request, reply) => {
      await review.release(staffOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/review/tasks/:id/heartbeat',
    {
      schema: { tags: ['review'], summary: 'Extend the claim while the page stays open', params: TaskId },
      preValidation: app.csrfProtection,
      preHandler: requireStaff(...REVIEWERS),
    },
    async (request, reply) => {
      await review.heartbeat(staffOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/evidence/:id',
    {
      schema: {
        tags: ['review'],
        summary:
          'The bytes of one evidence item (logged); size=view gives the stored copy the workbench shows',
        params: TaskId,
        querystring: Type.Object({ size: Type.Optional(Type.Literal('view')) }),
      },
      preHandler: requireStaff(),
    },
    async (request, reply) => {
      if (request.query.size === 'view') {
        const copy = await deps.evidenceFiles.viewCopy(staffOf(request), request.params.id);
        return reply
          .header('content-type', 'image/jpeg')
          .header('cache-control', 'private, max-age=3600, immutable')
          .header('x-original-sha256', copy.item.sha256)
          .send(copy.bytes);
      }
      const { item, bytes } = await deps.evidenceFiles.open(staffOf(request), request.params.id);
      return reply
        .header('content-type', item.content_type)
        .header('cache-control', 'private, max-age=3600, immutable')
        .header('x-content-sha256', item.sha256)
        .send(bytes);
    },
  );

  app.get(
    '/api/review/dataset',
    {
      schema: {
        tags: ['review'],
        summary: 'Reviewed evidence as a labelled data set (tar: images, YOLO labels, classes, index)',
        querystring: Type.Object({
          decision: Type.Optional(
            Type.Union([Type.Literal('approve'), Type.Literal('reject'), Type.Literal('both')]),
          ),
          since: Type.Optional(Type.String({ format: 'date-time' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50_000 })),
        }),
      },
      preHandler: requireStaff('admin', 'district_staff', 'legal_reviewer'),
    },
    async (request, reply) => {
      const staff = staffOf(request);
      const q = request.query;
      const decisions: ('approve' | 'reject')[] =
        !q.decision || q.decision === 'both' ? ['approve', 'reject'] : [q.decision];
      const tar = await exportReviewedDataset(deps.pool, deps.blobs, staff, {
        decisions,
        since: q.since,
        limit: q.limit ?? 5_000,
      });
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', 'attachment; filename="reviewed-evidence.tar"')
        .send(tar);
    },
  );
};
