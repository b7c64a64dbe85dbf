import { appendAudit } from '../audit/audit.repo.js';
import { districtCasePrefix } from '../auth/district.repo.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { PoolClient } from '../db/pool.js';
import type { ApprovalHook } from '../review/review.service.js';
import type { ViolationRow } from '../violations/violation.repo.js';
import { findViolationType, needsCollectiveDiscussion } from '../law/catalogue.js';
import { workingCalendar } from '../law/catalogue-store.js';
import type { RecordedCircumstance } from '../law/circumstances.js';
import { suggestPenalty } from './penalty-suggestion.service.js';
import { createCase } from './case-machine.js';
import { formatCaseNumber } from './case-number.js';
import { insertCase, insertCaseEvent, nextCaseSeq } from './case.repo.js';
import { findPartyConsent } from '../parties/party.repo.js';
import { shanghaiDateOf } from '../law/local-date.js';

/**
 * Files a case when the legal review approves a violation, inside the approval's transaction: the case number
 * comes from a per-district, per-year counter row whose lock is held until commit, so numbers have no gaps (a
 * rolled-back approval gives its number back) and concurrent approvals cannot share one.
 */
export function caseFilingHook(now: () => Date = () => new Date()): ApprovalHook {
  return {
    async onLegalApproved(
      tx: PoolClient,
      violation: ViolationRow,
      partyId: string,
      reviewer: StaffPrincipal,
      circumstances: readonly RecordedCircumstance[],
    ) {
      const at = now();
      const filedOn = shanghaiDateOf(at);
      const year = Number(filedOn.slice(0, 4));
      const calendar = await workingCalendar();
      const party = (await findPartyConsent(tx, partyId))!;
      const suggestion = await suggestPenalty(tx, violation, partyId, circumstances, filedOn);
      const { catalogue } = suggestion;
      const type = findViolationType(catalogue, violation.violation_type);
      const { partyKind, decision: benchmark } = suggestion.suggestions[0]!;
      const range = type.fineRangeFen[partyKind]!;
      const snapshot = createCase(
        {
          catalogueVersion: catalogue.version,
          violationCode: type.code,
          partyKind,
          onlineDeliveryConsent: party.online_delivery_consent,
          statutoryRangeFen: { minFen: range.minFen, maxFen: range.maxFen },
          filedOn,
          benchmark,
          circumstances: suggestion.circumstances,
          collectiveDiscussionRequired: needsCollectiveDiscussion(type, partyKind, benchmark.fineFen),
        },
        { calendar, procedure: catalogue.procedure },
      );
      const casePrefix = (await districtCasePrefix(tx, violation.district_id))!;
      const seq = await nextCaseSeq(tx, violation.district_id, year);
      const caseNumber = formatCaseNumber({ districtCode: casePrefix, year, sequence: seq });
      const caseId = await insertCase(tx, {
        districtId: violation.district_id,
        year,
        seq,
        caseNumber,
        violationId: violation.id,
        partyId,
        violationType: type.code,
        catalogueVersion: catalogue.version,
        snapshot,
        benchmark,
        filedAt: at,
      });
      await insertCaseEvent(tx, {
        caseId,
        kind: 'filed',
        from: null,
        to: snapshot.state,
        data: {
          benchmark: benchmark.tierId,
          fineFen: benchmark.fineFen,
          priorViolations: suggestion.priorViolations,
          circumstances: suggestion.circumstances,
        },
        actor: `staff:${reviewer.id}`,
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: reviewer.id,
        action: 'case.file',
        subjectKind: 'case',
        subjectId: caseId,
        districtId: violation.district_id,
        data: {
          caseNumber,
          violationId: violation.id,
          catalogueVersion: catalogue.version,
          proposedFineFen: benchmark.fineFen,
          tier: benchmark.tierId,
          circumstances: suggestion.circumstances.map((c) => c.code),
        },
      });
      return { id: caseId, number: caseNumber };
    },
  };
}
