import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, canActInDistrict, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { TRANSITIONS } from '../cases/case-state.js';
import type { CaseService } from '../cases/case.service.js';
import type { CaseRow } from '../cases/case.repo.js';
import type { Pool } from '../db/pool.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import {
  decideWithdrawal,
  insertWithdrawal,
  lockWithdrawal,
  withdrawalsOfCase,
  type WithdrawalRow,
} from './withdrawal.repo.js';

/**
 * Withdrawing a case (撤案) takes two people: a member of district staff or a legal reviewer proposes it with its
 * reason; an agency head (行政机关负责人, APL art. 57), who is not the proposer, approves or refuses it. Only the
 * approval moves the case, through the state machine's `withdraw` event (with its case event and audit row), in
 * the same transaction that records the decision. Every proposal and decision is audited and listed by the
 * case-file review checks (随意撤案).
 */

export const PROPOSER_ROLES: readonly StaffRole[] = ['district_staff', 'legal_reviewer'];
export const APPROVER_ROLES: readonly StaffRole[] = ['agency_head'];
const MAX_TEXT = 2000;

/** What the case page shows of withdrawals and what this member of staff may do. */
export interface WithdrawalCard {
  withdrawals: WithdrawalRow[];
  open: WithdrawalRow | null;
  canPropose: boolean;
  canDecide: boolean;
}

function clean(text: string | undefined, what: string, required: boolean): string | null {
  const value = (text ?? '').trim();
  if (!value) {
    if (required) throw new ValidationError(`${what}: required`);
    return null;
  }
  if (value.length > MAX_TEXT) throw new ValidationError(`${what}: at most ${MAX_TEXT} characters`);
  return value;
}

export class WithdrawalService {
  constructor(
    private readonly pool: Pool,
    private readonly cases: CaseService,
  ) {}

  async propose(staff: StaffPrincipal, caseId: string, input: { reason?: string }): Promise<string> {
    assertRole(staff, PROPOSER_ROLES);
    const reason = clean(input.reason, 'reason', true)!;
    return this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(staff, row.district_id)) throw new NotFoundError('case');
      if (!TRANSITIONS[row.snapshot.state].includes('withdraw'))
        throw new ConflictError(`a case in state ${row.snapshot.state} cannot be withdrawn`, {
          state: row.snapshot.state,
        });
      const id = await insertWithdrawal(tx, {
        caseId: row.id,
        districtId: row.district_id,
        reason,
        proposedBy: staff.id,
      });
      if (!id) throw new ConflictError('a withdrawal of this case is already waiting for approval');
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'case.withdrawal_proposed',
        subjectKind: 'case',
        subjectId: row.id,
        districtId: row.district_id,
        data: { caseNumber: row.case_number, withdrawalId: id, reason },
      });
      return id;
    });
  }

  /** The agency head's decision; an approval withdraws the case. */
  async decide(
    staff: StaffPrincipal,
    caseId: string,
    withdrawalId: string,
    input: { approve: boolean; note?: string },
  ): Promise<void> {
    assertRole(staff, APPROVER_ROLES);
    const note = clean(input.note, 'note', !input.approve);
    await this.cases.withCase(caseId, async (tx, row) => {
      if (!canActInDistrict(staff, row.district_id)) throw new NotFoundError('case');
      const w = await lockWithdrawal(tx, withdrawalId);
      if (!w || w.caseId !== row.id) throw new NotFoundError('withdrawal');
      if (w.status !== 'proposed') throw new ConflictError(`the withdrawal was already ${w.status}`);
      if (w.proposedBy === staff.id)
        throw new ForbiddenError('a withdrawal is approved by a second person, not the one who proposed it');
      const status = input.approve ? 'approved' : 'refused';
      await decideWithdrawal(tx, w.id, { status, decidedBy: staff.id, note });
      if (input.approve) {
        await this.cases.applyEvent(
          tx,
          row,
          { type: 'withdraw', on: this.cases.today(), reason: w.reason },
          { kind: 'staff', id: staff.id },
          { withdrawalId: w.id, proposedBy: w.proposedBy, approvedBy: staff.id },
        );
      }
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: `case.withdrawal_${status}`,
        subjectKind: 'case',
        subjectId: row.id,
        districtId: row.district_id,
        data: { caseNumber: row.case_number, withdrawalId: w.id, proposedBy: w.proposedBy, note },
      });
    });
  }

  async card(staff: StaffPrincipal, c: CaseRow): Promise<WithdrawalCard> {
    const withdrawals = await withdrawalsOfCase(this.pool, c.id);
    const open = withdrawals.find((w) => w.status === 'proposed') ?? null;
    const inDistrict = canActInDistrict(staff, c.district_id);
    const withdrawable = TRANSITIONS[c.snapshot.state].includes('withdraw');
    return {
      withdrawals,
      open,
      canPropose: inDistrict && PROPOSER_ROLES.includes(staff.role) && withdrawable && !open,
      canDecide: inDistrict && APPROVER_ROLES.includes(staff.role) && !!open && open.proposedBy !== staff.id,
    };
  }
}
