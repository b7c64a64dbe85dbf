import { appendAudit } from '../audit/audit.repo.js';
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
      const party = (
        await tx.query<{ online_delivery_consent: boolean }>(
          'select online_delivery_consent from parties where id = $1',
          [partyId],
        )
      ).rows[0]!;
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
      const district = (
        await tx.query<{ case_prefix: string }>('select case_prefix from districts where id = $1', [
          violation.district_id,
        ])
      ).rows[0]!;
      const { rows } = await tx.query<{ last_seq: number }>(
        `insert into case_counters (district_id, year, last_seq) values ($1, $2, 1)
         on conflict (district_id, year) do update set last_seq = case_counters.last_seq + 1
         returning last_seq`,
        [violation.district_id, year],
      );
      const seq = rows[0]!.last_seq;
      const caseNumber = formatCaseNumber({ districtCode: district.case_prefix, year, sequence: seq });
      const inserted = await tx.query<{ id: string }>(
        `insert into cases (district_id, year, seq, case_number, violation_id, party_id, violation_type, catalogue_version, status,
                            proposed_fine_fen, benchmark, deadlines, snapshot, filed_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
        [
          violation.district_id,
          year,
          seq,
          caseNumber,
          violation.id,
          partyId,
          type.code,
          catalogue.version,
          snapshot.state,
          snapshot.proposedFineFen,
          JSON.stringify(benchmark),
          JSON.stringify(snapshot.deadlines),
          JSON.stringify(snapshot),
          at,
        ],
      );
      const caseId = inserted.rows[0]!.id;
      await tx.query(
        `insert into case_events (case_id, kind, to_state, data, actor) values ($1, 'filed', $2, $3, $4)`,
        [
          caseId,
          snapshot.state,
          JSON.stringify({
            benchmark: benchmark.tierId,
            fineFen: benchmark.fineFen,
            priorViolations: suggestion.priorViolations,
            circumstances: suggestion.circumstances,
          }),
          `staff:${reviewer.id}`,
        ],
      );
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
    },
  };
}
