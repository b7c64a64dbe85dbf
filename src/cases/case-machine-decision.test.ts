import { describe, expect, it } from 'vitest';
import { transition } from './case-machine.js';
import { context, inStatementWindow, newCase, OPINION, run } from './case-machine.fixtures.js';

/* The case machine up to the decision: statement and defence, the wait for the party, legal review, hearing. */

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
