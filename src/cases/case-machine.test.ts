import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../shared/paths.js';
import { CaseTransitionError, dueTimedEvents, pendingObligations } from './case-machine.js';
import { inStatementWindow, newCase, run } from './case-machine.fixtures.js';
import { TRANSITIONS } from './case-state.js';

/* The case machine as a whole: the procedure from filing to closure, its guards, and the diagram in the docs. */

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
