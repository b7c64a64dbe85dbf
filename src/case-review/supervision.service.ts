import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, districtScope, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { assertLocalDate, compareDates, shanghaiDateOf } from '../law/local-date.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { REVIEW_ACTORS, REVIEW_READERS } from './case-review-check.service.js';
import { findSheet } from './case-review-sample.repo.js';
import { findFinding } from './case-review.repo.js';
import {
  answerNotice,
  findNotice,
  insertNotice,
  listNotices,
  type SupervisionRow,
} from './supervision.repo.js';
import { supervisionStatus, type SupervisionStatus } from './supervision-status.js';

/**
 * Supervision notices (督办): issued to the responsible unit (the district of the finding or the scored case file)
 * with what it must do and by when; the unit's district staff answer; each notice is open, answered or overdue.
 */

export const ANSWER_ROLES: readonly StaffRole[] = ['district_staff'];
const READERS: readonly StaffRole[] = [...REVIEW_READERS, 'district_staff'];

export interface SupervisionView extends SupervisionRow {
  status: SupervisionStatus;
}

function text(value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (!v) throw new ValidationError(`${what}: required`);
  if (v.length > 2000) throw new ValidationError(`${what}: at most 2000 characters`);
  return v;
}

export class SupervisionService {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private view(row: SupervisionRow): SupervisionView {
    return { ...row, status: supervisionStatus(row, shanghaiDateOf(this.now())) };
  }

  async issue(
    staff: StaffPrincipal,
    input: { sourceKind: 'finding' | 'sheet'; sourceId: string; request?: string; dueOn: string },
  ): Promise<string> {
    assertRole(staff, REVIEW_ACTORS);
    const request = text(input.request, 'request');
    try {
      assertLocalDate(input.dueOn, 'dueOn');
    } catch {
      throw new ValidationError('dueOn: a date YYYY-MM-DD');
    }
    if (compareDates(input.dueOn, shanghaiDateOf(this.now())) < 0)
      throw new ValidationError('dueOn: not before today');
    const scope = districtScope(staff);
    return withTransaction(this.pool, async (tx) => {
      const source =
        input.sourceKind === 'finding'
          ? await findFinding(tx, input.sourceId, scope)
          : await findSheet(tx, input.sourceId, scope);
      if (!source) throw new NotFoundError(input.sourceKind);
      if (input.sourceKind === 'sheet' && !('scoredAt' in source && source.scoredAt))
        throw new ConflictError('a notice from a review is sent once the sheet is scored');
      const id = await insertNotice(tx, {
        districtId: source.districtId,
        sourceKind: input.sourceKind,
        sourceId: source.id,
        request,
        dueOn: input.dueOn,
        issuedBy: staff.id,
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'supervision.issue',
        subjectKind: 'supervision_notice',
        subjectId: id,
        districtId: source.districtId,
        data: { sourceKind: input.sourceKind, sourceId: source.id, dueOn: input.dueOn },
      });
      return id;
    });
  }

  async list(staff: StaffPrincipal): Promise<SupervisionView[]> {
    assertRole(staff, READERS);
    return (await listNotices(this.pool, districtScope(staff), 200)).map((r) => this.view(r));
  }

  async detail(staff: StaffPrincipal, id: string): Promise<SupervisionView> {
    assertRole(staff, READERS);
    const row = await findNotice(this.pool, id, districtScope(staff));
    if (!row) throw new NotFoundError('supervision notice');
    return this.view(row);
  }

  /** The unit's answer, once. */
  async answer(staff: StaffPrincipal, id: string, input: { answer?: string }): Promise<void> {
    assertRole(staff, ANSWER_ROLES);
    const answer = text(input.answer, 'answer');
    await withTransaction(this.pool, async (tx) => {
      const row = await findNotice(tx, id, districtScope(staff), true);
      if (!row) throw new NotFoundError('supervision notice');
      if (row.answeredAt) throw new ConflictError('the notice is already answered');
      await answerNotice(tx, row.id, { answer, answeredBy: staff.id });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'supervision.answer',
        subjectKind: 'supervision_notice',
        subjectId: row.id,
        districtId: row.districtId,
        data: { overdue: this.view(row).status === 'overdue' },
      });
    });
  }
}
