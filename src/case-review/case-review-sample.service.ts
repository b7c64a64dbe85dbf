import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import { assertRole, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { assertLocalDate, compareDates } from '../law/local-date.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { REVIEW_ACTORS, REVIEW_READERS } from './case-review-check.service.js';
import {
  closedCasePopulation,
  eligibleReviewers,
  findDraw,
  findSheet,
  insertDraw,
  listDraws,
  lockSheet,
  saveScores,
  scoredSheets,
  sheetsOfDraw,
  type DrawRow,
  type SheetRow,
} from './case-review-sample.repo.js';
import { drawSample, verifyDraw } from './sample-draw.js';
import { scoreSheet, ScoringError, summarise, type ScoreSummary } from './scoring.js';

/**
 * Random samples of closed case files and their scoring sheets. A draw records its seed, the population of
 * closed cases (with who worked on each), the eligible reviewers, who drew and when; anyone who can see it can
 * draw again and compare (`verified`). Each sheet is scored once, by the reviewer drawn for it.
 */

const READERS = REVIEW_READERS;
export const MAX_SAMPLE = 100;

export interface DrawInput {
  /** an admin names the district; everyone else draws in their own */
  districtId?: string;
  closedFrom: string;
  closedTo: string;
  size: number;
}

export interface DrawDetail {
  draw: DrawRow;
  sheets: SheetRow[];
  /** drawing again from the recorded seed, population and reviewers gives the stored sample */
  verified: boolean;
}

export interface ScoreResults {
  byUnit: (ScoreSummary & { name: string })[];
  byReviewer: (ScoreSummary & { name: string })[];
}

function date(value: string, what: string): string {
  try {
    assertLocalDate(value, what);
  } catch {
    throw new ValidationError(`${what}: a date YYYY-MM-DD`);
  }
  return value;
}

export class CaseReviewSampleService {
  constructor(private readonly pool: Pool) {}

  async draw(staff: StaffPrincipal, input: DrawInput): Promise<string> {
    assertRole(staff, REVIEW_ACTORS);
    const districtId = districtScope(staff) ?? input.districtId?.trim();
    if (!districtId) throw new ValidationError('districtId: an admin names the district of the draw');
    const closedFrom = date(input.closedFrom, 'closedFrom');
    const closedTo = date(input.closedTo, 'closedTo');
    if (compareDates(closedFrom, closedTo) > 0) throw new ValidationError('closedFrom: after closedTo');
    if (!Number.isInteger(input.size) || input.size < 1 || input.size > MAX_SAMPLE)
      throw new ValidationError(`size: a whole number from 1 to ${MAX_SAMPLE}`);
    return withTransaction(this.pool, async (tx) => {
      await assertDistrictExists(tx, districtId);
      const population = await closedCasePopulation(tx, districtId, closedFrom, closedTo);
      const reviewers = await eligibleReviewers(tx, districtId);
      const seed = randomBytes(16).toString('hex');
      const sample = drawSample({ seed, population, reviewers, size: input.size });
      if (sample.length === 0)
        throw new ConflictError('no closed case in the period has a reviewer who did not work on it');
      const id = await insertDraw(
        tx,
        {
          districtId,
          seed,
          closedFrom,
          closedTo,
          sampleSize: input.size,
          population,
          reviewers,
          drawnBy: staff.id,
        },
        sample,
      );
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'case_review.draw',
        subjectKind: 'case_review_draw',
        subjectId: id,
        districtId,
        data: { seed, closedFrom, closedTo, size: input.size, population: population.length, sample },
      });
      return id;
    });
  }

  async list(staff: StaffPrincipal): Promise<DrawRow[]> {
    assertRole(staff, READERS);
    return listDraws(this.pool, districtScope(staff), 50);
  }

  async detail(staff: StaffPrincipal, drawId: string): Promise<DrawDetail> {
    assertRole(staff, READERS);
    const draw = await findDraw(this.pool, drawId, districtScope(staff));
    if (!draw) throw new NotFoundError('draw');
    const sheets = await sheetsOfDraw(this.pool, draw.id);
    const verified = verifyDraw(
      { seed: draw.seed, population: draw.population, reviewers: draw.reviewers, size: draw.sampleSize },
      sheets.map((s) => ({ caseId: s.caseId, reviewerId: s.reviewerId })),
    );
    return { draw, sheets, verified };
  }

  async sheet(staff: StaffPrincipal, sheetId: string): Promise<SheetRow> {
    assertRole(staff, READERS);
    const sheet = await findSheet(this.pool, sheetId, districtScope(staff));
    if (!sheet) throw new NotFoundError('scoring sheet');
    return sheet;
  }

  /** The drawn reviewer scores the case file: every item, once. */
  async score(
    staff: StaffPrincipal,
    sheetId: string,
    input: { scores: Partial<Record<string, number>>; comment?: string },
  ): Promise<void> {
    assertRole(staff, REVIEW_ACTORS);
    let scored: ReturnType<typeof scoreSheet>;
    try {
      scored = scoreSheet(input.scores);
    } catch (error) {
      if (error instanceof ScoringError) throw new ValidationError(error.message);
      throw error;
    }
    const comment = input.comment?.trim() || null;
    if (comment && comment.length > 2000) throw new ValidationError('comment: at most 2000 characters');
    await withTransaction(this.pool, async (tx) => {
      await lockSheet(tx, sheetId);
      const sheet = await findSheet(tx, sheetId, districtScope(staff));
      if (!sheet) throw new NotFoundError('scoring sheet');
      if (sheet.reviewerId !== staff.id)
        throw new ForbiddenError('a sheet is scored by the reviewer drawn for it');
      if (sheet.scoredAt) throw new ConflictError('the sheet is already scored');
      await saveScores(tx, sheet.id, { ...scored, comment });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: 'case_review.score',
        subjectKind: 'case',
        subjectId: sheet.caseId,
        districtId: sheet.districtId,
        data: { sheetId: sheet.id, drawId: sheet.drawId, scores: scored.scores, total: scored.total },
      });
    });
  }

  /** The scored sheets summarised per unit (district) and per reviewer. */
  async results(staff: StaffPrincipal): Promise<ScoreResults> {
    assertRole(staff, READERS);
    const sheets = (await scoredSheets(this.pool, districtScope(staff))).map((s) => ({
      districtId: s.districtId,
      reviewerId: s.reviewerId,
      total: s.total ?? 0,
      districtName: s.districtName,
      reviewerName: s.reviewerName,
    }));
    const names = (key: 'districtId' | 'reviewerId', name: 'districtName' | 'reviewerName') =>
      new Map(sheets.map((s) => [s[key], s[name]]));
    const unitNames = names('districtId', 'districtName');
    const reviewerNames = names('reviewerId', 'reviewerName');
    return {
      byUnit: summarise(sheets, 'districtId').map((s) => ({ ...s, name: unitNames.get(s.key) ?? s.key })),
      byReviewer: summarise(sheets, 'reviewerId').map((s) => ({
        ...s,
        name: reviewerNames.get(s.key) ?? s.key,
      })),
    };
  }
}
