import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ValidationError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { REVIEW_ACTORS } from './case-review-check.service.js';
import { caseReviewView } from './case-review.view.js';
import { drawView, noticeFormView, noticeView, sheetView } from './case-review-detail.view.js';
import { caseReviewPage, noticeFormPage, type CaseReviewServices } from './case-review-pages.service.js';
import { SCORING_ITEMS } from './scoring.js';
import { ANSWER_ROLES } from './supervision.service.js';
import type { WithdrawalService } from './withdrawal.service.js';

/**
 * The staff pages of case-file review (/staff/case-review) and the case page's withdrawal forms. Forms answer
 * with a redirect; what a service refuses is the error page with the way back.
 */

export interface CaseReviewPageDeps extends CaseReviewServices {
  withdrawals: WithdrawalService;
}

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Csrf = { _csrf: Type.Optional(Type.String()) };
const SourceKind = Type.Union([Type.Literal('finding'), Type.Literal('sheet')]);

/** A whole number typed into a form; anything else is a 400 naming the field. */
function wholeNumber(value: string | undefined, what: string): number {
  const text = (value ?? '').trim();
  if (!/^\d{1,3}$/.test(text)) throw new ValidationError(`${what}: a whole number`);
  return Number(text);
}

export const caseReviewPageRoutes: FastifyPluginAsyncTypebox<CaseReviewPageDeps> = async (app, deps) => {
  const viewers = staffPage(...REVIEW_ACTORS, 'leader', 'district_staff');
  const actors = staffPage(...REVIEW_ACTORS);

  app.get(
    '/staff/case-review',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ resolved: Type.Optional(Type.String({ maxLength: 1 })) }),
      },
      preHandler: viewers,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const data = await caseReviewPage(deps, staff, request.query.resolved === '1');
      return sendPage(reply, caseReviewView(data, staff, reply.generateCsrf()));
    },
  );

  app.post(
    '/staff/case-review/run',
    {
      schema: { hide: true, body: Type.Object(Csrf) },
      config: { errorPage: { back: '/staff/case-review' } },
      preValidation: app.csrfProtection,
      preHandler: actors,
    },
    async (request, reply) => {
      await deps.caseReviewChecks.runNow(pageStaff(request));
      return reply.redirect('/staff/case-review', 303);
    },
  );

  app.post(
    '/staff/case-review/draws',
    {
      schema: {
        hide: true,
        body: Type.Object({
          ...Csrf,
          districtId: Type.Optional(Type.String({ maxLength: 32 })),
          closedFrom: Type.String({ maxLength: 10 }),
          closedTo: Type.String({ maxLength: 10 }),
          size: Type.String({ maxLength: 5 }),
        }),
      },
      config: { errorPage: { back: '/staff/case-review' } },
      preValidation: app.csrfProtection,
      preHandler: actors,
    },
    async (request, reply) => {
      const { districtId, closedFrom, closedTo, size } = request.body;
      const id = await deps.caseReviewSamples.draw(pageStaff(request), {
        districtId,
        closedFrom,
        closedTo,
        size: wholeNumber(size, 'size'),
      });
      return reply.redirect(`/staff/case-review/draws/${id}`, 303);
    },
  );

  app.get(
    '/staff/case-review/draws/:id',
    { schema: { hide: true, params: Id }, preHandler: viewers },
    async (request, reply) => {
      const staff = pageStaff(request);
      return sendPage(reply, drawView(await deps.caseReviewSamples.detail(staff, request.params.id), staff));
    },
  );

  app.get(
    '/staff/case-review/sheets/:id',
    { schema: { hide: true, params: Id }, preHandler: viewers },
    async (request, reply) => {
      const staff = pageStaff(request);
      const sheet = await deps.caseReviewSamples.sheet(staff, request.params.id);
      return sendPage(
        reply,
        sheetView(sheet, staff, REVIEW_ACTORS.includes(staff.role), reply.generateCsrf()),
      );
    },
  );

  app.post(
    '/staff/case-review/sheets/:id',
    {
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({
          ...Csrf,
          facts: Type.String({ maxLength: 5 }),
          evidence: Type.String({ maxLength: 5 }),
          procedure: Type.String({ maxLength: 5 }),
          law: Type.String({ maxLength: 5 }),
          documents: Type.String({ maxLength: 5 }),
          comment: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
      config: { errorPage: { back: '/staff/case-review/sheets/:id' } },
      preValidation: app.csrfProtection,
      preHandler: actors,
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const scores = Object.fromEntries(SCORING_ITEMS.map((i) => [i.key, wholeNumber(body[i.key], i.key)]));
      await deps.caseReviewSamples.score(pageStaff(request), id, { scores, comment: body.comment });
      return reply.redirect(`/staff/case-review/sheets/${id}`, 303);
    },
  );

  app.get(
    '/staff/case-review/notices/new',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ sourceKind: SourceKind, sourceId: Type.String({ format: 'uuid' }) }),
      },
      preHandler: actors,
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const { sourceKind, sourceId } = request.query;
      const data = await noticeFormPage(deps, staff, sourceKind, sourceId);
      return sendPage(reply, noticeFormView(data, staff, reply.generateCsrf()));
    },
  );

  app.post(
    '/staff/case-review/notices',
    {
      schema: {
        hide: true,
        body: Type.Object({
          ...Csrf,
          sourceKind: SourceKind,
          sourceId: Type.String({ format: 'uuid' }),
          request: Type.String({ maxLength: 2000 }),
          dueOn: Type.String({ maxLength: 10 }),
        }),
      },
      config: { errorPage: { back: '/staff/case-review' } },
      preValidation: app.csrfProtection,
      preHandler: actors,
    },
    async (request, reply) => {
      const { sourceKind, sourceId, request: text, dueOn } = request.body;
      const id = await deps.supervision.issue(pageStaff(request), {
        sourceKind,
        sourceId,
        request: text,
        dueOn,
      });
      return reply.redirect(`/staff/case-review/notices/${id}`, 303);
    },
  );

  app.get(
    '/staff/case-review/notices/:id',
    { schema: { hide: true, params: Id }, preHandler: viewers },
    async (request, reply) => {
      const staff = pageStaff(request);
      const notice = await deps.supervision.detail(staff, request.params.id);
      return sendPage(
        reply,
        noticeView(notice, staff, ANSWER_ROLES.includes(staff.role), reply.generateCsrf()),
      );
    },
  );

  app.post(
    '/staff/case-review/notices/:id/answer',
    {
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({ ...Csrf, answer: Type.String({ maxLength: 2000 }) }),
      },
      config: { errorPage: { back: '/staff/case-review/notices/:id' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage(...ANSWER_ROLES),
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.supervision.answer(pageStaff(request), id, { answer: request.body.answer });
      return reply.redirect(`/staff/case-review/notices/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/withdrawals',
    {
      schema: {
        hide: true,
        params: Id,
        body: Type.Object({ ...Csrf, reason: Type.String({ maxLength: 2000 }) }),
      },
      config: { errorPage: { id: 'withdraw-error', back: '/staff/cases/:id' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage(),
    },
    async (request, reply) => {
      const { id } = request.params;
      await deps.withdrawals.propose(pageStaff(request), id, { reason: request.body.reason });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );

  app.post(
    '/staff/cases/:id/withdrawals/:withdrawalId/decision',
    {
      schema: {
        hide: true,
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          withdrawalId: Type.String({ format: 'uuid' }),
        }),
        body: Type.Object({
          ...Csrf,
          decision: Type.Union([Type.Literal('approve'), Type.Literal('refuse')]),
          note: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
      },
      config: { errorPage: { id: 'withdraw-error', back: '/staff/cases/:id' } },
      preValidation: app.csrfProtection,
      preHandler: staffPage(),
    },
    async (request, reply) => {
      const { id, withdrawalId } = request.params;
      const { decision, note } = request.body;
      await deps.withdrawals.decide(pageStaff(request), id, withdrawalId, {
        approve: decision === 'approve',
        note,
      });
      return reply.redirect(`/staff/cases/${id}`, 303);
    },
  );
};
