import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decideBenchmark, type BenchmarkInput } from '../law/benchmark.js';
import { CATALOGUE_DIR, loadCatalogueFile, loadWorkingCalendar } from '../law/law-config.adapter.js';
import { findViolationType, type Catalogue } from '../law/catalogue.js';
import {
  createCase,
  dueTimedEvents,
  pendingObligations,
  transition,
  CaseTransitionError,
  type MachineContext,
} from './case-machine.js';
import { REPO_ROOT } from '../shared/paths.js';
import { TRANSITIONS, type CaseEvent, type CaseSnapshot } from './case-state.js';
import type { DefenceReview } from '../law/defence.js';

let context: MachineContext;
let catalogue: Catalogue;
beforeAll(async () => {
  catalogue = await loadCatalogueFile(path.join(CATALOGUE_DIR, '2026.1.json'));
  context = { calendar: await loadWorkingCalendar(), procedure: catalogue.procedure };
});

function newCase(
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
type TestEvent = Exclude<CaseEvent, { type: 'decide' }> | DecideWithReview;
const REVIEWABLE = ['statement_review', 'hearing_requested', 'awaiting_decision'];
const OPINION = '事实清楚，证据确凿，适用依据正确，程序合法';

const run = (snapshot: CaseSnapshot, ...events: TestEvent[]): CaseSnapshot =>
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
const inStatementWindow = (snapshot = newCase('street_stall')) =>
  run(
    snapshot,
    { type: 'send_advance_notice', on: '2026-03-02' },
    { type: 'advance_notice_received', on: '2026-03-03' },
  );

describe('procedure without a statement', () => {
  it('runs from filing to closure, with the deadlines of each step', () => {
    let snapshot = newCase('street_stall');
    expect(snapshot).toMatchObject({
      state: 'filed',
      proposedFineFen: 100_00,
      hearingRight: false,
      catalogueVersion: '2026.1',
    });
    expect(snapshot.deadlines.decision).toBe('2026-05-31');
    snapshot = inStatementWindow(snapshot);
    expect(snapshot.deadlines.statement).toBe('2026-03-10');
    expect(dueTimedEvents(snapshot, '2026-03-10')).toEqual([]);
    const [elapsed] = dueTimedEvents(snapshot, '2026-03-11');
    expect(elapsed).toEqual({ type: 'statement_window_elapsed', on: '2026-03-11' });
    snapshot = run(
      snapshot,
      elapsed!,
      { type: 'decide', on: '2026-03-12' },
      { type: 'deliver_decision', on: '2026-03-12', channel: 'online' },
      { type: 'decision_received', on: '2026-03-13' },
    );
    // 13 March + 15 days is Saturday 28 March: the deadline moves to Monday 30 March.
    expect(snapshot).toMatchObject({
      state: 'payment_due',
      fineFen: 100_00,
      deadlines: { payment: '2026-03-30' },
    });
    snapshot = run(
      snapshot,
      { type: 'payment_received', on: '2026-03-20', amountFen: 100_00 },
      { type: 'close', on: '2026-03-21' },
    );
    expect(snapshot).toMatchObject({ state: 'closed', outcome: 'paid', paidFen: 100_00, lateFeePaidFen: 0 });
  });

  it('lets a party waive statement and hearing so the decision need not wait', () => {
    const snapshot = run(
      inStatementWindow(),
      { type: 'rights_waived', on: '2026-03-04', waiverReference: '放弃声明2026-001' },
      { type: 'decide', on: '2026-03-04' },
    );
    expect(snapshot).toMatchObject({ state: 'decided', rightsWaived: true });
  });

  it('does not decide while the statement window is open', () => {
    expect(() => run(inStatementWindow(), { type: 'decide', on: '2026-03-05' })).toThrow(
      /allowed here: statement_submitted/,
    );
    expect(() => run(inStatementWindow(), { type: 'statement_window_elapsed', on: '2026-03-10' })).toThrow(
      /statement window runs until 2026-03-10/,
    );
  });
});

describe('statement and defence', () => {
  const reviewed = () => run(inStatementWindow(), { type: 'statement_submitted', on: '2026-03-09' });

  it('lowers the fine when the defence is accepted', () => {
    const snapshot = run(reviewed(), {
      type: 'decide',
      on: '2026-03-12',
      review: { accepted: true, revisedFineFen: 50_00, reasons: ['当事人已自行清理'] },
    });
    expect(snapshot).toMatchObject({ state: 'decided', proposedFineFen: 100_00, fineFen: 50_00 });
    expect(snapshot.reasons).toContain('当事人已自行清理');
  });

  it('never raises it, and requires the review', () => {
    expect(() =>
      run(reviewed(), {
        type: 'decide',
        on: '2026-03-12',
        review: { accepted: true, revisedFineFen: 150_00, reasons: ['x'] },
      }),
    ).toThrow(/cannot raise the fine/);
    expect(() => run(reviewed(), { type: 'decide', on: '2026-03-12' })).toThrow(/statement must be reviewed/);
  });

  it('refuses a statement after its window', () => {
    expect(() => run(inStatementWindow(), { type: 'statement_submitted', on: '2026-03-11' })).toThrow(
      /statement window closed on 2026-03-10/,
    );
  });

  it('closes without penalty when the defence drops it', () => {
    const snapshot = run(
      reviewed(),
      {
        type: 'decide',
        on: '2026-03-12',
        review: { accepted: true, revisedFineFen: 0, reasons: ['物品不属于当事人'] },
      },
      { type: 'deliver_decision', on: '2026-03-12', channel: 'post' },
      { type: 'decision_received', on: '2026-03-16' },
    );
    expect(snapshot).toMatchObject({ state: 'closed', outcome: 'no_penalty', fineFen: 0 });
  });
});

describe('the decision waits for the party (APL art. 45, 62, 64)', () => {
  const stated = () => run(inStatementWindow(), { type: 'statement_submitted', on: '2026-03-03' });
  const review = { accepted: false, reasons: ['陈述理由不成立'] };

  it('refuses a decision on the day of the statement and until the period ends, naming the date', () => {
    for (const on of ['2026-03-03', '2026-03-10']) {
      expect(() => run(stated(), { type: 'decide', on, review })).toThrow(
        /期限至2026-03-10（北京时间）届满，2026-03-11起方可作出决定/,
      );
    }
    expect(run(stated(), { type: 'decide', on: '2026-03-11', review }).state).toBe('decided');
  });

  it('waits for the hearing-request period too where the hearing right applies', () => {
    const large = run(inStatementWindow(newCase('construction_waste', { priorViolations: 1 })), {
      type: 'statement_submitted',
      on: '2026-03-04',
    });
    expect(large.deadlines.hearing_request).toBe('2026-03-10');
    expect(() => run(large, { type: 'decide', on: '2026-03-09', review })).toThrow(
      /和要求听证期限至2026-03-10/,
    );
  });

  it('lets a written waiver with its reference end the wait, and refuses one without', () => {
    expect(() => run(stated(), { type: 'rights_waived', on: '2026-03-04', waiverReference: '  ' })).toThrow(
      /reference of the party's written declaration/,
    );
    const waived = run(stated(), {
      type: 'rights_waived',
      on: '2026-03-04',
      waiverReference: '放弃声明2026-002',
    });
    expect(waived).toMatchObject({
      state: 'statement_review',
      rightsWaived: true,
      waiverReference: '放弃声明2026-002',
    });
    expect(run(waived, { type: 'decide', on: '2026-03-04', review }).state).toBe('decided');
  });
});

describe('legal review and the agency head (APL art. 57-58)', () => {
  const waived = () =>
    run(inStatementWindow(), {
      type: 'rights_waived',
      on: '2026-03-04',
      waiverReference: '放弃声明2026-003',
    });

  it('refuses a decision without a legal review, or after one that did not approve', () => {
    expect(() => run(waived(), { type: 'decide', on: '2026-03-05', noLegalReview: true })).toThrow(
      /legal review .* comes before the decision \(APL art. 58\)/,
    );
    const failed = transition(
      waived(),
      {
        type: 'legal_review',
        on: '2026-03-05',
        conclusion: 'rejected',
        opinion: '证据不足',
        reviewerId: 'legal-1',
      },
      context,
    );
    expect(failed).toMatchObject({ state: 'awaiting_decision', legalReview: { conclusion: 'rejected' } });
    expect(() => transition(failed, { type: 'decide', on: '2026-03-05' }, context)).toThrow(
      /did not approve.*证据不足/,
    );
    // A later review that approves lets the agency head decide, and the decider is kept.
    const approved = transition(
      failed,
      {
        type: 'legal_review',
        on: '2026-03-06',
        conclusion: 'approved',
        opinion: OPINION,
        reviewerId: 'legal-2',
      },
      context,
    );
    expect(
      transition(approved, { type: 'decide', on: '2026-03-06', deciderId: 'head-1' }, context),
    ).toMatchObject({
      state: 'decided',
      decidedBy: 'head-1',
    });
  });

  it('needs an opinion', () => {
    expect(() =>
      transition(
        waived(),
        {
          type: 'legal_review',
          on: '2026-03-05',
          conclusion: 'approved',
          opinion: ' ',
          reviewerId: 'legal-1',
        },
        context,
      ),
    ).toThrow(/opinion/);
  });

  it('needs the collective discussion for a case the catalogue marks serious', () => {
    const serious = run(
      inStatementWindow({ ...newCase('street_stall'), collectiveDiscussionRequired: true }),
      { type: 'rights_waived', on: '2026-03-04', waiverReference: '放弃声明2026-004' },
    );
    expect(() => run(serious, { type: 'decide', on: '2026-03-05' })).toThrow(/collective discussion/);
    const discussion = { on: '2026-03-05', participants: ['局长甲', '副局长乙'], conclusion: '同意处罚' };
    expect(() =>
      run(serious, { type: 'decide', on: '2026-03-05', collectiveDiscussion: discussion }),
    ).toThrow(/at least three participants/);
    const decided = run(serious, {
      type: 'decide',
      on: '2026-03-05',
      collectiveDiscussion: { ...discussion, participants: [...discussion.participants, '法制科长丙'] },
    });
    expect(decided.collectiveDiscussion).toEqual({
      on: '2026-03-05',
      participants: ['局长甲', '副局长乙', '法制科长丙'],
      conclusion: '同意处罚',
    });
  });
});

describe('hearing', () => {
  // A repeat construction-waste fine on an individual is above the individual hearing threshold.
  const large = () => inStatementWindow(newCase('construction_waste', { priorViolations: 1 }));

  it('is open to a large fine within 5 working days, and its decision rests on the record', () => {
    const requested = run(large(), { type: 'hearing_requested', on: '2026-03-10' });
    expect(requested.state).toBe('hearing_requested');
    const review = { accepted: false, reasons: ['听证中未提出新的事实'] };
    expect(() => run(requested, { type: 'decide', on: '2026-03-30', review })).toThrow(/hearing record/);
    const decided = run(requested, {
      type: 'decide',
      on: '2026-03-30',
      review,
      hearingRecordRef: 'HR-2026-001',
    });
    expect(decided).toMatchObject({
      state: 'decided',
      fineFen: decided.proposedFineFen,
      hearingRecordRef: 'HR-2026-001',
    });
  });

  it('is refused after the window and below the threshold', () => {
    expect(() => run(large(), { type: 'hearing_requested', on: '2026-03-11' })).toThrow(
      /asked for by 2026-03-10/,
    );
    expect(() => run(inStatementWindow(), { type: 'hearing_requested', on: '2026-03-04' })).toThrow(
      /below the hearing threshold/,
    );
  });
});

describe('delivery, payment, late fee and review', () => {
  const due = (consent = true) =>
    run(
      inStatementWindow(newCase('street_stall', {}, '2026-03-02', consent)),
      { type: 'rights_waived', on: '2026-03-04', waiverReference: '放弃声明2026-001' },
      { type: 'decide', on: '2026-03-04' },
    );
  const receivedOn = (snapshot: CaseSnapshot) =>
    run(
      snapshot,
      { type: 'deliver_decision', on: '2026-03-05', channel: 'post' },
      { type: 'decision_received', on: '2026-03-09' },
    );

  it("delivers online only with the party's consent", () => {
    expect(() => run(due(false), { type: 'deliver_decision', on: '2026-03-05', channel: 'online' })).toThrow(
      /consent/,
    );
    expect(run(due(false), { type: 'deliver_decision', on: '2026-03-05', channel: 'post' }).state).toBe(
      'decision_delivered',
    );
  });

  it('goes overdue after the deadline and then asks for fine plus late fee', () => {
    let snapshot = receivedOn(due());
    expect(snapshot.deadlines.payment).toBe('2026-03-24');
    expect(dueTimedEvents(snapshot, '2026-03-24')).toEqual([]);
    snapshot = run(snapshot, ...dueTimedEvents(snapshot, '2026-03-25'));
    expect(snapshot.state).toBe('overdue');
    // Paid 3 April: 10 days late, 3 % of 100 yuan a day.
    expect(() => run(snapshot, { type: 'payment_received', on: '2026-04-03', amountFen: 100_00 })).toThrow(
      /does not match the 13000 fen due on 2026-04-03 \(fine 10000 \+ late fee 3000\)/,
    );
    expect(run(snapshot, { type: 'payment_received', on: '2026-04-03', amountFen: 130_00 })).toMatchObject({
      state: 'paid',
      lateFeePaidFen: 30_00,
    });
  });

  it('does not count the late fee while a reconsideration runs, and keeps the fine payable', () => {
    const overdue = run(receivedOn(due()), { type: 'payment_deadline_passed', on: '2026-03-25' });
    const suspended = run(overdue, { type: 'review_started', on: '2026-03-27', kind: 'reconsideration' });
    expect(suspended).toMatchObject({ state: 'suspended', suspendedFrom: 'overdue' });
    expect(pendingObligations(suspended).payment).toBe(true);
    // Overdue 25 March .. 26 April is 33 days; 27 March .. 20 April (25 days) is paused: 8 days charged.
    const back = run(suspended, { type: 'review_concluded', on: '2026-04-20', outcome: 'upheld' });
    expect(back.state).toBe('overdue');
    const paid = run(back, { type: 'payment_received', on: '2026-04-26', amountFen: 100_00 + 24_00 });
    expect(paid.lateFeePaidFen).toBe(24_00);
  });

  it('lets a review lower the fine or revoke the decision, never raise it', () => {
    const suspended = run(receivedOn(due()), {
      type: 'review_started',
      on: '2026-03-10',
      kind: 'litigation',
    });
    expect(
      run(suspended, {
        type: 'review_concluded',
        on: '2026-03-20',
        outcome: 'varied',
        revisedFineFen: 60_00,
      }),
    ).toMatchObject({
      state: 'payment_due',
      fineFen: 60_00,
    });
    expect(() =>
      run(suspended, {
        type: 'review_concluded',
        on: '2026-03-20',
        outcome: 'varied',
        revisedFineFen: 120_00,
      }),
    ).toThrow(/may not raise the fine/);
    expect(run(suspended, { type: 'review_concluded', on: '2026-03-20', outcome: 'revoked' })).toMatchObject({
      state: 'closed',
      outcome: 'revoked',
    });
  });

  it('refers an overdue case for enforcement and closes it', () => {
    const overdue = run(receivedOn(due()), { type: 'payment_deadline_passed', on: '2026-03-25' });
    expect(
      run(overdue, { type: 'refer_for_enforcement', on: '2026-06-30' }, { type: 'close', on: '2026-09-01' }),
    ).toMatchObject({
      state: 'closed',
      outcome: 'enforced',
    });
  });
});

describe('guards', () => {
  it('closes a case with no proposed fine without an advance notice', () => {
    const corrected = newCase('street_stall', {
      correctedInTime: true,
      circumstances: { minorViolation: true, harm: 'none' },
    });
    expect(corrected.proposedFineFen).toBe(0);
    expect(() => run(corrected, { type: 'send_advance_notice', on: '2026-03-02' })).toThrow(
      /no penalty is proposed/,
    );
    expect(run(corrected, { type: 'close_without_penalty', on: '2026-03-02' })).toMatchObject({
      state: 'closed',
      outcome: 'no_penalty',
    });
    expect(() => run(newCase('street_stall'), { type: 'close_without_penalty', on: '2026-03-02' })).toThrow(
      /a penalty is proposed/,
    );
  });

  it('refuses events dated before the last step, and anything once closed', () => {
    const snapshot = inStatementWindow();
    expect(() => run(snapshot, { type: 'statement_submitted', on: '2026-03-01' })).toThrow(
      CaseTransitionError,
    );
    const closed = run(snapshot, { type: 'withdraw', on: '2026-03-05', reason: '违法事实不能成立' });
    expect(closed).toMatchObject({ outcome: 'withdrawn', withdrawalReason: '违法事实不能成立' });
    expect(() => run(closed, { type: 'close', on: '2026-03-06' })).toThrow(/nothing \(the case is closed\)/);
  });

  it('decides after 90 days only with an approved extension', () => {
    const waived = run(inStatementWindow(), {
      type: 'rights_waived',
      on: '2026-03-04',
      waiverReference: '放弃声明2026-001',
    });
    expect(() => run(waived, { type: 'decide', on: '2026-06-01' })).toThrow(
      /due by 2026-05-31 \(APL art. 60\)/,
    );
    expect(
      run(waived, { type: 'decide', on: '2026-06-01', extensionReference: '延期审批2026-17' })
        .decisionExtensionReference,
    ).toBe('延期审批2026-17');
  });

  it('reports open obligations for the at-risk flags', () => {
    expect(pendingObligations(inStatementWindow())).toEqual({
      decision: true,
      delivery: false,
      payment: false,
    });
    const decided = run(
      inStatementWindow(),
      { type: 'rights_waived', on: '2026-03-04', waiverReference: '放弃声明2026-001' },
      { type: 'decide', on: '2026-03-04' },
    );
    expect(pendingObligations(decided)).toEqual({ decision: false, delivery: true, payment: false });
  });

  it('leaves the snapshot it was given untouched', () => {
    const before = inStatementWindow();
    const copy = structuredClone(before);
    run(before, { type: 'statement_submitted', on: '2026-03-09' });
    expect(before).toEqual(copy);
  });
});

describe('docs/procedure.md', () => {
  it('names every state and event of the machine in its diagram', async () => {
    const doc = await readFile(path.join(REPO_ROOT, 'docs', 'procedure.md'), 'utf8');
    const diagram = doc.slice(doc.indexOf('```\nfiled'), doc.indexOf('```', doc.indexOf('```\nfiled') + 4));
    for (const [state, events] of Object.entries(TRANSITIONS)) {
      expect(diagram, `state ${state}`).toContain(state);
      for (const event of events) expect(diagram, `event ${event} from ${state}`).toContain(event);
    }
  });
});
