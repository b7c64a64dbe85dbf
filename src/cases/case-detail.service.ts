import { appendAuditNow } from '../audit/audit.repo.js';
import { canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import {
  listCaseDeliveries,
  listCaseNotices,
  type DeliveryRow,
  type NoticeRow,
} from '../notices/notice.repo.js';
import { findParty, type PartyRow } from '../parties/party.repo.js';
import { paymentsOfCase, type PaymentRow } from '../payments/payment.repo.js';
import { findHearing, listStatements, type StatementRow } from '../portal/portal.repo.js';
import { ForbiddenError, NotFoundError } from '../shared/errors.js';
import {
  findCase,
  listCaseEventsWithActors,
  noticeIssueFailures,
  type CaseEventWithActor,
  type CaseRow,
  type NoticeIssueFailure,
} from './case.repo.js';
import { machineContextFor, planFromSnapshot } from './case.service.js';
import type { Deadline } from '../law/deadlines.js';

/**
 * Everything staff see of one case: every step, every deadline (the full plan, with the statutory basis) and
 * flag, every document and delivery (a postal fallback stands out), statements, hearing and payments. The view
 * itself is logged (APL art. 47) and scoped to the viewer's district.
 */

export interface CaseDetail {
  caseRow: CaseRow;
  party: PartyRow | null;
  plan: Deadline[];
  events: CaseEventWithActor[];
  notices: NoticeRow[];
  deliveries: (DeliveryRow & { kind: string })[];
  postalNeeded: (DeliveryRow & { kind: string })[];
  /** Documents the sweep could not issue yet (retried with backoff). */
  issueFailures: NoticeIssueFailure[];
  statements: StatementRow[];
  hearing: { requested_at: Date; status: string } | null;
  payments: PaymentRow[];
}

export async function caseDetail(pool: Pool, principal: StaffPrincipal, caseId: string): Promise<CaseDetail> {
  const caseRow = await findCase(pool, caseId);
  if (!caseRow) throw new NotFoundError('case');
  if (!canActInDistrict(principal, caseRow.district_id))
    throw new ForbiddenError('case belongs to another district');
  const context = await machineContextFor(caseRow.snapshot);
  const plan = Object.values(planFromSnapshot(caseRow.snapshot, context)).filter(
    (d): d is Deadline => d !== undefined,
  );
  const [party, events, notices, deliveries, statements, hearing, payments, issueFailures] =
    await Promise.all([
      caseRow.party_id ? findParty(pool, caseRow.party_id) : null,
      listCaseEventsWithActors(pool, caseId),
      listCaseNotices(pool, caseId),
      listCaseDeliveries(pool, caseId),
      listStatements(pool, caseId),
      findHearing(pool, caseId),
      paymentsOfCase(pool, caseId),
      noticeIssueFailures(pool, caseId),
    ]);
  await appendAuditNow(pool, {
    actorKind: 'staff',
    actorId: principal.id,
    action: 'case.view',
    subjectKind: 'case',
    subjectId: caseId,
    districtId: caseRow.district_id,
  });
  return {
    caseRow,
    party,
    plan,
    events,
    notices,
    deliveries,
    postalNeeded: deliveries.filter((d) => d.channel === 'postal' && d.status === 'fallback'),
    issueFailures,
    statements,
    hearing,
    payments,
  };
}
