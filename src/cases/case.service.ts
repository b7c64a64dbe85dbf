import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { appealPeriodsOf } from './agency-config.adapter.js';
import { catalogues, workingCalendar } from '../law/catalogue-store.js';
import { pendingObligations, transition, CaseTransitionError, type MachineContext } from './case-machine.js';
import type { CaseEvent, CaseSnapshot } from './case-state.js';
import { insertCaseEvent, lockCase, saveCase, type CaseRow } from './case.repo.js';
import { deadlineFlags, planDeadlines, type DeadlineFlag, type DeadlinePlan } from '../law/deadlines.js';
import { DefenceError } from '../law/defence.js';
import { enforcementFlag, type AppealPeriods } from '../law/enforcement.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';

/**
 * Moving a case: lock its row, run the pure state machine, and save the snapshot, the status column, the
 * deadline flags, a case_events row and an audit row in the same transaction. Everything that changes a case
 * (staff, the portal, payments, the sweep) goes through `applyEvent`.
 */

export interface CaseActor {
  kind: 'staff' | 'party' | 'system';
  id: string;
}

export const actorLabel = (actor: CaseActor): string => `${actor.kind}:${actor.id}`;

/** The machine's rules as they stood for the case's catalogue version. */
export async function machineContextFor(
  snapshot: Pick<CaseSnapshot, 'catalogueVersion'>,
): Promise<MachineContext> {
  const [all, calendar] = await Promise.all([catalogues(), workingCalendar()]);
  const catalogue = all.get(snapshot.catalogueVersion);
  if (!catalogue)
    throw new Error(`catalogue version ${snapshot.catalogueVersion} of the case is not in config/catalogue`);
  return { calendar, procedure: catalogue.procedure };
}

/** The whole deadline plan, rebuilt from the dates of the steps taken so far. */
export function planFromSnapshot(snapshot: CaseSnapshot, context: MachineContext): DeadlinePlan {
  return planDeadlines(
    {
      filedOn: snapshot.filedOn,
      advanceNoticeReceivedOn: snapshot.steps.advance_notice_received,
      hearingRight: snapshot.hearingRight,
      decidedOn: snapshot.steps.decide,
      decisionReceivedOn: snapshot.steps.decision_received,
    },
    context.calendar,
    context.procedure,
  );
}

export function flagsFor(
  snapshot: CaseSnapshot,
  today: LocalDate,
  context: MachineContext,
  appeal?: AppealPeriods,
): DeadlineFlag[] {
  if (snapshot.state === 'closed') return [];
  const flags = deadlineFlags(
    planFromSnapshot(snapshot, context),
    pendingObligations(snapshot),
    today,
    context.calendar,
    context.procedure,
  );
  const court = appeal
    ? enforcementFlag(
        {
          state: snapshot.state,
          decisionReceivedOn: snapshot.steps.decision_received,
          reviewed: snapshot.pauses.some((p) => p.to !== undefined),
        },
        appeal,
        today,
      )
    : null;
  return court ? [...flags, court] : flags;
}

export class CaseService {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  today(): LocalDate {
    return shanghaiDateOf(this.now());
  }

  /** Runs `fn` with the case row locked; throws 404 when there is no such case. */
  async withCase<T>(caseId: string, fn: (tx: PoolClient, row: CaseRow) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, async (tx) => {
      const row = await lockCase(tx, caseId);
      if (!row) throw new NotFoundError('case');
      return fn(tx, row);
    });
  }

  /**
   * Applies one event to a locked case row inside the caller's transaction. A refused event becomes a 409 that
   * names the rule; a defence review that breaks the law becomes a 400.
   */
  async applyEvent(
    tx: PoolClient,
    row: CaseRow,
    event: CaseEvent,
    actor: CaseActor,
    data: Record<string, unknown> = {},
  ): Promise<CaseSnapshot> {
    const context = await machineContextFor(row.snapshot);
    let snapshot: CaseSnapshot;
    try {
      snapshot = transition(row.snapshot, event, context);
    } catch (error) {
      if (error instanceof CaseTransitionError)
        throw new ConflictError(error.message, { state: error.state, event: error.eventType });
      if (error instanceof DefenceError) throw new ValidationError(error.message);
      throw error;
    }
    const flags = flagsFor(snapshot, this.today(), context, await appealPeriodsOf(row.district_id));
    await saveCase(tx, row.id, snapshot, flags);
    const eventData = { ...data, ...eventDetails(event) };
    await insertCaseEvent(tx, {
      caseId: row.id,
      kind: event.type,
      from: row.snapshot.state,
      to: snapshot.state,
      data: eventData,
      actor: actorLabel(actor),
    });
    await appendAudit(tx, {
      actorKind: actor.kind,
      actorId: actor.id,
      action: `case.${event.type}`,
      subjectKind: 'case',
      subjectId: row.id,
      districtId: row.district_id,
      data: { caseNumber: row.case_number, from: row.snapshot.state, to: snapshot.state, ...eventData },
    });
    // The caller's row stays current, so it can apply a second event in the same transaction.
    row.snapshot = snapshot;
    row.status = snapshot.state;
    row.flags = flags;
    return snapshot;
  }

  /** One event in its own transaction. */
  async apply(
    caseId: string,
    event: CaseEvent,
    actor: CaseActor,
    data: Record<string, unknown> = {},
  ): Promise<CaseSnapshot> {
    return this.withCase(caseId, (tx, row) => this.applyEvent(tx, row, event, actor, data));
  }
}

/** What of an event is worth keeping beside it (the date and type are already in the row). */
function eventDetails(event: CaseEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}
