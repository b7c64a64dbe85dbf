import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, districtScope, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { appealPeriodsOf } from '../cases/agency-config.adapter.js';
import { flagsFor, machineContextFor } from '../cases/case.service.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { shanghaiDateOf } from '../law/local-date.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import type { Logger } from '../shared/logger.js';
import {
  notPursued,
  overdueCases,
  RESOLVING_KINDS,
  withdrawalsAndRejections,
  type CaseReviewLimits,
  type Finding,
  type FindingKind,
  type OpenCase,
} from './case-review-rules.js';
import {
  insertRun,
  lastRun,
  listFindings,
  openCases,
  type FindingRow,
  rejectionRecords,
  storeFindings,
  waitingViolations,
  withdrawalRecords,
} from './case-review.repo.js';

/** Who acts in case-file review (draws, scores, issues notices, runs the checks); the leader only reads. */
export const REVIEW_ACTORS: readonly StaffRole[] = ['admin', 'legal_reviewer', 'agency_head'];
export const REVIEW_READERS: readonly StaffRole[] = [...REVIEW_ACTORS, 'leader'];

export interface CheckReport {
  found: number;
  created: number;
}

/**
 * The automatic checks of case-file review, run by the `case-review` job (every CASE_REVIEW_INTERVAL_S) over every
 * district, or by staff from the page over their own district. Each run stores its findings (upserted by key) and
 * a row of its own; a run from the page is audited.
 */
export class CaseReviewCheckService {
  constructor(
    private readonly pool: Pool,
    private readonly limits: CaseReviewLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get currentLimits(): CaseReviewLimits {
    return { ...this.limits };
  }

  /** What the checks find now in a scope (null: every district), without storing it. */
  async check(scope: string | null): Promise<Finding[]> {
    const now = this.now();
    const today = shanghaiDateOf(now);
    const open: OpenCase[] = [];
    for (const row of await openCases(this.pool, scope)) {
      const flags = flagsFor(
        row.snapshot,
        today,
        await machineContextFor(row.snapshot),
        await appealPeriodsOf(row.district_id),
      );
      open.push({
        caseId: row.id,
        caseNumber: row.case_number,
        districtId: row.district_id,
        status: row.status,
        filedOn: row.snapshot.filedOn,
        flags,
      });
    }
    return [
      ...notPursued(await waitingViolations(this.pool, scope), now, this.limits),
      ...overdueCases(open, today, this.limits),
      ...withdrawalsAndRejections(
        await withdrawalRecords(this.pool, scope),
        await rejectionRecords(this.pool, scope),
      ),
    ];
  }

  /** The stored findings in the staff member's scope, unresolved first (the resolved ones on request). */
  async findings(
    staff: StaffPrincipal,
    options: { kind?: FindingKind; includeResolved?: boolean } = {},
  ): Promise<{ findings: FindingRow[]; lastRun: { at: Date; trigger: string } | null }> {
    assertRole(staff, REVIEW_READERS);
    const scope = districtScope(staff);
    return {
      findings: await listFindings(this.pool, scope, { ...options, limit: 500 }),
      lastRun: await lastRun(this.pool, scope),
    };
  }

  /** A scheduled run over every district. */
  async runScheduled(): Promise<CheckReport> {
    const findings = await this.check(null);
    return withTransaction(this.pool, async (tx) => {
      const created = await storeFindings(tx, null, findings, RESOLVING_KINDS);
      await insertRun(tx, {
        trigger: 'schedule',
        actorId: null,
        scope: null,
        limits: this.limits,
        found: findings.length,
      });
      return { found: findings.length, created };
    });
  }

  /** A run asked for from the page, over the staff member's district (all for an admin). */
  async runNow(staff: StaffPrincipal): Promise<CheckReport> {
    assertRole(staff, REVIEW_ACTORS);
    const scope = districtScope(staff);
    const findings = await this.check(scope);
    return withTransaction(this.pool, async (tx) => {
      const created = await storeFindings(tx, scope, findings, RESOLVING_KINDS);
      await insertRun(tx, {
        trigger: 'staff',
        actorId: staff.id,
        scope,
        limits: this.limits,
        found: findings.length,
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'case_review.run',
        subjectKind: 'case_review_run',
        subjectId: scope ?? 'all',
        districtId: scope,
        data: { found: findings.length, created, limits: this.limits },
      });
      return { found: findings.length, created };
    });
  }
}

export function caseReviewHandler(
  service: CaseReviewCheckService,
  logger: Logger,
): HandlerSpec<'case-review'> {
  return {
    concurrency: 1,
    handle: async () => {
      const report = await service.runScheduled();
      if (report.created > 0) logger.info(report, 'case-file review checks');
    },
  };
}
