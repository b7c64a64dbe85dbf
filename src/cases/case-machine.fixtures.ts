import path from 'node:path';
import { decideBenchmark, type BenchmarkInput } from '../law/benchmark.js';
import { findViolationType } from '../law/catalogue.js';
import type { DefenceReview } from '../law/defence.js';
import { CATALOGUE_DIR, loadCatalogueFile, loadWorkingCalendar } from '../law/law-config.adapter.js';
import { createCase, transition, type MachineContext } from './case-machine.js';
import type { CaseEvent, CaseSnapshot } from './case-state.js';

/* Cases for the case machine's tests: filed under catalogue 2026.1 and the working calendar, taken through events. */

const catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'));
export const context: MachineContext = {
  calendar: await loadWorkingCalendar(),
  procedure: catalogue.procedure,
};

export function newCase(
  code: string,
  benchmark: Partial<BenchmarkInput> = {},
  filedOn = '2026-03-02',
  consent = true,
): CaseSnapshot {
  const type = findViolationType(catalogue, code);
  const input: BenchmarkInput = {
    partyKind: 'individual',
    priorViolations: 0,
    correctedInTime: false,
    circumstances: { minorViolation: false, harm: 'slight' },
    ...benchmark,
  };
  return createCase(
    {
      catalogueVersion: catalogue.version,
      violationCode: code,
      partyKind: input.partyKind,
      onlineDeliveryConsent: consent,
      statutoryRangeFen: type.fineRangeFen[input.partyKind]!,
      filedOn,
      benchmark: decideBenchmark(type, input),
    },
    context,
  );
}

/**
 * A decision in these tests may carry the defence review as it did before the legal review became its own step:
 * `run` records an approving legal review (法制审核) with it just before the decision, unless `noLegalReview`.
 */
type DecideWithReview = Extract<CaseEvent, { type: 'decide' }> & {
  review?: DefenceReview;
  reductionApproved?: boolean;
  noLegalReview?: boolean;
};
export type TestEvent = Exclude<CaseEvent, { type: 'decide' }> | DecideWithReview;
const REVIEWABLE = ['statement_review', 'hearing_requested', 'awaiting_decision'];
export const OPINION = '事实清楚，证据确凿，适用依据正确，程序合法';

export const run = (snapshot: CaseSnapshot, ...events: TestEvent[]): CaseSnapshot =>
  events.reduce((current, event) => {
    if (event.type !== 'decide') return transition(current, event, context);
    const { review, reductionApproved, noLegalReview, ...decide } = event;
    let reviewed = current;
    if (!noLegalReview && REVIEWABLE.includes(current.state))
      reviewed = transition(
        current,
        {
          type: 'legal_review',
          on: event.on,
          conclusion: 'approved',
          opinion: OPINION,
          reviewerId: 'legal-1',
          ...(review ? { review } : {}),
          ...(reductionApproved ? { reductionApproved } : {}),
        },
        context,
      );
    return transition(reviewed, decide, context);
  }, snapshot);

/** A stall case taken to the start of its statement window: notice received Tue 3 March 2026. */
export const inStatementWindow = (snapshot = newCase('street_stall')) =>
  run(
    snapshot,
    { type: 'send_advance_notice', on: '2026-03-02' },
    { type: 'advance_notice_received', on: '2026-03-03' },
  );
