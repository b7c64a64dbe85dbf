import { districtName } from '../auth/district.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal } from '../auth/principal.js';
import type { Pool, PoolClient, Queryable } from '../db/pool.js';
import { firstPaymentDemandReceipt } from '../notices/notice.repo.js';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.js';
import { agenciesConfig, agencyFor } from './agency-config.adapter.js';
import type { CaseRow } from './case.repo.js';
import type { CaseSnapshot } from './case-state.js';
import type { CaseService } from './case.service.js';
import { enforcementWindow, referralRefusal, type EnforcementWindow } from '../law/enforcement.js';
import type { PauseKind } from '../law/late-fee.js';
import {
  assertLocalDate,
  compareDates,
  InvalidDateError,
  shanghaiDateOf,
  type LocalDate,
} from '../law/local-date.js';

/*
 * What legal staff record after a decision took effect: the party's administrative reconsideration or lawsuit
 * (the late fee stops counting while it runs, APL art. 73 para. 3) and how it ended, the application to the
 * court to enforce an unpaid fine (enforcement.ts holds when that is allowed), and the case's end once the
 * court has enforced it. Each is one event of the case machine, with its documents' references kept beside it
 * in the case's steps and the audit log.
 */

export interface ReviewStartedInput {
  kind: PauseKind;
  /** The day the application or lawsuit was filed. */
  on: LocalDate;
  /** The reconsideration body or court. */
  body: string;
  /** Its case or file reference. */
  reference: string;
}

export interface ReviewConcludedInput {
  outcome: 'upheld' | 'varied' | 'revoked';
  revisedFineFen?: number;
  /** The day the reconsideration decision or judgment took effect. */
  on: LocalDate;
  reference: string;
}

export interface ReferralInput {
  on: LocalDate;
  /**
   * The day the written demand to pay (催告书) reached the party. Default: the day recorded for the demand the
   * system issued (its first confirmed delivery, the party's acknowledgement, or a recorded postal receipt).
   */
  demandDeliveredOn?: LocalDate;
  court: string;
  reference: string;
  /** After a reconsideration or lawsuit: the decision or judgment that made the penalty final. */
  finalDocumentRef?: string;
}

export interface EnforcedInput {
  on: LocalDate;
  /** The court's enforcement ruling or closing document. */
  reference: string;
}

const ACTORS = ['legal_reviewer', 'admin'] as const;

/**
 * Told, inside the transaction that records it, that a decision was varied or revoked: the credit publication
 * withdraws its item (APL art. 48, src/credit/).
 */
export type DecisionChangedHook = (
  tx: PoolClient,
  change: { caseId: string; outcome: 'varied' | 'revoked'; on: LocalDate; reference: string },
) => Promise<unknown>;

function date(value: string, what: string): LocalDate {
  try {
    assertLocalDate(value, what);
  } catch (error) {
    if (error instanceof InvalidDateError) throw new ValidationError(error.message);
    throw error;
  }
  return value;
}

function text(value: string | undefined, what: string): string {
  const trimmed = value?.trim() ?? '';
  if (trimmed === '') throw new ValidationError(`${what} is required`);
  return trimmed;
}

/** Whether the party asked for review and that review has ended. */
const reviewConcluded = (s: CaseSnapshot) => s.pauses.some((p) => p.to !== undefined);

export class AfterDecisionService {
  constructor(
    private readonly pool: Pool,
    private readonly cases: CaseService,
    private readonly onDecisionChanged: DecisionChangedHook | null = null,
  ) {}

  private act<T>(
    principal: StaffPrincipal,
    caseId: string,
    fn: (tx: PoolClient, row: CaseRow) => Promise<T>,
  ): Promise<T> {
    assertRole(principal, ACTORS);
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(principal, row.district_id))
        throw new ForbiddenError('the case belongs to another district');
      return fn(tx, row);
    });
  }

  private notFuture(on: LocalDate, what: string): void {
    if (compareDates(on, this.cases.today()) > 0) throw new ValidationError(`${what} ${on} is in the future`);
  }

  async startReview(principal: StaffPrincipal, caseId: string, input: ReviewStartedInput) {
    if (input.kind !== 'reconsideration' && input.kind !== 'litigation')
      throw new ValidationError('kind is reconsideration or litigation');
    const on = date(input.on, 'the filing date');
    this.notFuture(on, 'the filing date');
    const body = text(input.body, input.kind === 'litigation' ? 'the court' : 'the reconsideration body');
    const reference = text(input.reference, 'the case reference');
    return this.act(principal, caseId, (tx, row) =>
      this.cases.applyEvent(tx, row, { type: 'review_started', on, kind: input.kind }, actor(principal), {
        body,
        reference,
      }),
    );
  }

  async concludeReview(principal: StaffPrincipal, caseId: string, input: ReviewConcludedInput) {
    if (!['upheld', 'varied', 'revoked'].includes(input.outcome))
      throw new ValidationError('outcome is upheld, varied or revoked');
    const on = date(input.on, 'the date it took effect');
    this.notFuture(on, 'the date it took effect');
    const reference = text(input.reference, 'the reference of the decision or judgment');
    if (
      input.outcome === 'varied' &&
      !(Number.isSafeInteger(input.revisedFineFen) && input.revisedFineFen! >= 0)
    )
      throw new ValidationError('a varied decision gives the revised fine in fen');
    return this.act(principal, caseId, async (tx, row) => {
      const result = await this.cases.applyEvent(
        tx,
        row,
        {
          type: 'review_concluded',
          on,
          outcome: input.outcome,
          ...(input.outcome === 'varied' ? { revisedFineFen: input.revisedFineFen } : {}),
        },
        actor(principal),
        { reference },
      );
      if (input.outcome !== 'upheld' && this.onDecisionChanged)
        await this.onDecisionChanged(tx, { caseId, outcome: input.outcome, on, reference });
      return result;
    });
  }

  /** The window for the application to the court, for the case page; null before the decision was received. */
  async referralWindow(
    row: CaseRow,
    demandDeliveredOn: LocalDate | null = null,
  ): Promise<EnforcementWindow | null> {
    const received = row.snapshot.steps.decision_received;
    if (!received) return null;
    return enforcementWindow(received, await this.appealOf(row.district_id), demandDeliveredOn);
  }

  async referForEnforcement(principal: StaffPrincipal, caseId: string, input: ReferralInput) {
    const on = date(input.on, 'the application date');
    const given = input.demandDeliveredOn?.trim()
      ? date(input.demandDeliveredOn.trim(), 'the demand’s delivery date')
      : null;
    const court = text(input.court, 'the court');
    const reference = text(input.reference, 'the application’s reference');
    return this.act(principal, caseId, async (tx, row) => {
      const received = row.snapshot.steps.decision_received;
      if (row.snapshot.state !== 'overdue' || !received)
        throw new ConflictError(`only an overdue case goes to the court; this one is ${row.snapshot.state}`);
      const demandDeliveredOn =
        given ??
        (await demandDeliveredOnOf(tx, row.id)) ??
        fail(
          'no delivery of the demand to pay is recorded: record its postal receipt, or give the day it reached the party',
        );
      const refusal = referralRefusal({
        on,
        today: this.cases.today(),
        decisionReceivedOn: received,
        demandDeliveredOn,
        appeal: await this.appealOf(row.district_id),
        reviewed: reviewConcluded(row.snapshot),
        finalDocumentRef: input.finalDocumentRef,
      });
      if (refusal) throw new ConflictError(refusal);
      return this.cases.applyEvent(tx, row, { type: 'refer_for_enforcement', on }, actor(principal), {
        demandDeliveredOn,
        court,
        reference,
        ...(input.finalDocumentRef?.trim() ? { finalDocumentRef: input.finalDocumentRef.trim() } : {}),
      });
    });
  }

  async closeEnforced(principal: StaffPrincipal, caseId: string, input: EnforcedInput) {
    const on = date(input.on, 'the date');
    this.notFuture(on, 'the date');
    const reference = text(input.reference, 'the court’s document reference');
    return this.act(principal, caseId, async (tx, row) => {
      if (row.snapshot.state !== 'enforcement_referred')
        throw new ConflictError(
          `only a case referred to the court closes as enforced; this one is ${row.snapshot.state}`,
        );
      return this.cases.applyEvent(tx, row, { type: 'close', on }, actor(principal), { reference });
    });
  }

  /** The recorded day the case's demand to pay reached the party, for the case page. */
  demandDeliveredOn(caseId: string): Promise<LocalDate | null> {
    return demandDeliveredOnOf(this.pool, caseId);
  }

  /** Where and for how long the district's decisions can be appealed (config/agencies). */
  async appealOf(districtId: string) {
    const name = await districtName(this.pool, districtId);
    return agencyFor(await agenciesConfig(), districtId, name ?? districtId).appeal;
  }
}

const actor = (principal: StaffPrincipal) => ({ kind: 'staff' as const, id: principal.id });

const fail = (message: string): never => {
  throw new ConflictError(message);
};

/** The day the case's demand to pay first reached the party, as recorded; null when it is not known to have. */
export async function demandDeliveredOnOf(db: Queryable, caseId: string): Promise<LocalDate | null> {
  const first = await firstPaymentDemandReceipt(db, caseId);
  return first ? shanghaiDateOf(first) : null;
}
