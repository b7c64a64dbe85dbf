import { listDistricts, type DistrictRow } from '../auth/district.repo.js';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { shanghaiDateOf, addDays, type LocalDate } from '../law/local-date.js';
import { NotFoundError } from '../shared/errors.js';
import { REVIEW_ACTORS, REVIEW_READERS, type CaseReviewCheckService } from './case-review-check.service.js';
import type { CaseReviewLimits } from './case-review-rules.js';
import type { CaseReviewSampleService, ScoreResults } from './case-review-sample.service.js';
import type { DrawRow } from './case-review-sample.repo.js';
import type { FindingRow } from './case-review.repo.js';
import { findFinding } from './case-review.repo.js';
import type { SupervisionService, SupervisionView } from './supervision.service.js';

/** Page data of /staff/case-review: what each role sees (district staff: their district's notices only). */

export interface CaseReviewServices {
  pool: Pool;
  caseReviewChecks: CaseReviewCheckService;
  caseReviewSamples: CaseReviewSampleService;
  supervision: SupervisionService;
}

export interface CaseReviewPage {
  /** may run the checks, draw, score and issue notices */
  canAct: boolean;
  isAdmin: boolean;
  /** null where the role sees only the notices */
  review: {
    findings: FindingRow[];
    lastRun: { at: Date; trigger: string } | null;
    limits: CaseReviewLimits;
    draws: DrawRow[];
    results: ScoreResults;
    districts: DistrictRow[];
  } | null;
  notices: SupervisionView[];
  today: LocalDate;
  /** the default period of a draw: the last 90 days */
  defaultFrom: LocalDate;
}

export async function caseReviewPage(
  s: CaseReviewServices,
  staff: StaffPrincipal,
  includeResolved: boolean,
): Promise<CaseReviewPage> {
  const today = shanghaiDateOf(new Date());
  const reads = REVIEW_READERS.includes(staff.role);
  let review: CaseReviewPage['review'] = null;
  if (reads) {
    const { findings, lastRun } = await s.caseReviewChecks.findings(staff, { includeResolved });
    review = {
      findings,
      lastRun,
      limits: s.caseReviewChecks.currentLimits,
      draws: await s.caseReviewSamples.list(staff),
      results: await s.caseReviewSamples.results(staff),
      districts: staff.role === 'admin' ? await listDistricts(s.pool, districtScope(staff)) : [],
    };
  }
  return {
    canAct: REVIEW_ACTORS.includes(staff.role),
    isAdmin: staff.role === 'admin',
    review,
    notices: await s.supervision.list(staff),
    today,
    defaultFrom: addDays(today, -90),
  };
}

/** The form of a new supervision notice: what it is about. */
export interface NoticeFormPage {
  sourceKind: 'finding' | 'sheet';
  sourceId: string;
  districtName: string;
  about: string;
  today: LocalDate;
  defaultDue: LocalDate;
}

export async function noticeFormPage(
  s: CaseReviewServices,
  staff: StaffPrincipal,
  sourceKind: 'finding' | 'sheet',
  sourceId: string,
): Promise<NoticeFormPage> {
  const today = shanghaiDateOf(new Date());
  const base = { sourceKind, sourceId, today, defaultDue: addDays(today, 10) };
  if (sourceKind === 'finding') {
    const f = await findFinding(s.pool, sourceId, districtScope(staff));
    if (!f) throw new NotFoundError('finding');
    const caseNumber = f.detail.caseNumber;
    return {
      ...base,
      districtName: f.districtName,
      about: typeof caseNumber === 'string' ? caseNumber : f.subjectId,
    };
  }
  const sheet = await s.caseReviewSamples.sheet(staff, sourceId);
  return { ...base, districtName: sheet.districtName, about: sheet.caseNumber };
}
