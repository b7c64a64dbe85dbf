import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withoutJit, type RowQuery } from '../db/no-jit.js';
import type { Pool } from '../db/pool.js';
import { shanghaiDateOf, type LocalDate } from '../law/local-date.js';
import { RULE_NAMES } from '../rules/rule-events.js';
import { ForbiddenError, ValidationError } from '../shared/errors.js';
import { VIOLATION_TYPE_CODES } from '../web/i18n/labels.js';
import {
  afterDecisionEvents,
  casesByState,
  complaintCounts,
  hearingsByStatus,
  paymentRate,
  paymentsByChannel,
  statementsByOutcome,
  stepDurations,
} from './stats-cases.repo.js';
import { violationDetailPage, type ViolationDetailRow } from './stats-detail.repo.js';
import { parsePeriod, periodBounds } from './stats-period.js';
import type { StatsDimension, StatsQuery } from './stats-query.js';
import type { CaseStateRow, DurationRow, PaymentChannelRow, PaymentRateRow } from './stats-cases.repo.js';
import {
  cameraDistrict,
  cameraNames,
  camerasForFilter,
  candidateCounts,
  districtNames,
  frameCounts,
  listDistricts,
  reviewCounts,
  violationCounts,
  violationsPerDay,
  type CandidateCountRow,
  type DailyRow,
  type ReviewCountRow,
  type ViolationCountRow,
} from './stats-volume.repo.js';
import { histogramQuantile } from './stats-summary-shape.js';
import {
  summaryCandidateCounts,
  summaryCasesByState,
  summaryPaymentRate,
  summaryPaymentsByChannel,
  summaryReviewCounts,
  summaryStepHistograms,
  summaryViolationCounts,
  summaryViolationsPerDay,
  summaryViolationTotal,
} from './stats-summary-read.repo.js';
import { StatsSummaryService } from './stats-summary.service.js';
import type {
  CasesFigures,
  ComplaintFigures,
  OverviewFigures,
  PaymentFigures,
  PipelineFigures,
} from './stats-figures.js';

/** The filters of a statistics request, as received (strings; the service checks them). */
export interface StatsFilterInput {
  from?: string;
  to?: string;
  district?: string;
  camera?: string;
  rule?: string;
  type?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const blank = (value: string | undefined): boolean => value === undefined || value.trim() === '';

/**
 * The step times are exact (every violation's times, percentile_cont) up to this many violations in the query,
 * and estimated from the summary's histograms above it (within one bucket, about 19 %; docs/statistics.md).
 */
export const EXACT_STEP_TIMES_UP_TO = 10_000;

/** Where the figures of one request come from: the summary, or the source tables (exact, slower). */
interface FigureSource {
  violationCounts(by: StatsDimension): Promise<ViolationCountRow[]>;
  reviewCounts(by: StatsDimension): Promise<ReviewCountRow[]>;
  candidateCounts(by: 'district' | 'street' | 'camera' | 'rule'): Promise<CandidateCountRow[]>;
  violationsPerDay(): Promise<DailyRow[]>;
  casesByState(): Promise<CaseStateRow[]>;
  paymentRate(): Promise<PaymentRateRow>;
  paymentsByChannel(): Promise<PaymentChannelRow[]>;
  stepDurations(): Promise<DurationRow[]>;
}

export interface StatsServiceOptions {
  /** Read from the summary when it is up to date (default); false reads the source tables always. */
  summary?: boolean;
  exactStepTimesUpTo?: number;
}

/**
 * The statistics query layer: the pages, the exports and the monthly report all read their figures here. The
 * district in effect is the principal's own (`districtScope`); an admin may name any district or none (the city).
 */
export class StatsService {
  private readonly pool: RowQuery;
  private readonly summary: StatsSummaryService | null;
  private readonly exactStepTimesUpTo: number;

  constructor(
    pool: Pool,
    private readonly now: () => Date = () => new Date(),
    options: StatsServiceOptions = {},
  ) {
    this.pool = withoutJit(pool);
    this.summary = options.summary === false ? null : new StatsSummaryService(pool);
    this.exactStepTimesUpTo = options.exactStepTimesUpTo ?? EXACT_STEP_TIMES_UP_TO;
  }

  /** The source of a request's figures: the summary once it holds every change, else the source tables. */
  private async source(q: StatsQuery): Promise<FigureSource> {
    const db = this.pool;
    const live: FigureSource = {
      violationCounts: (by) => violationCounts(db, q, by),
      reviewCounts: (by) => reviewCounts(db, q, by),
      candidateCounts: (by) => candidateCounts(db, q, by),
      violationsPerDay: () => violationsPerDay(db, q),
      casesByState: () => casesByState(db, q),
      paymentRate: () => paymentRate(db, q),
      paymentsByChannel: () => paymentsByChannel(db, q),
      stepDurations: () => stepDurations(db, q),
    };
    if (this.summary === null || !(await this.summary.prepare(q.districtId))) return live;
    return {
      violationCounts: (by) => summaryViolationCounts(db, q, by),
      reviewCounts: (by) => summaryReviewCounts(db, q, by),
      candidateCounts: (by) => summaryCandidateCounts(db, q, by),
      violationsPerDay: () => summaryViolationsPerDay(db, q),
      casesByState: () => summaryCasesByState(db, q),
      paymentRate: () => summaryPaymentRate(db, q),
      paymentsByChannel: () => summaryPaymentsByChannel(db, q),
      stepDurations: async () => {
        // a camera's rows carry no histograms, and a small query is cheap to compute exactly
        if (q.cameraId !== null || (await summaryViolationTotal(db, q)) <= this.exactStepTimesUpTo)
          return stepDurations(db, q);
        const h = await summaryStepHistograms(db, q);
        const steps = ['review', 'filing', 'decision', 'payment'] as const;
        return steps.map((step) => ({
          step,
          n: h[step].reduce((a, b) => a + b, 0),
          median_s: histogramQuantile(h[step], 0.5),
          p90_s: histogramQuantile(h[step], 0.9),
          estimated: true,
        }));
      },
    };
  }

  today(): LocalDate {
    return shanghaiDateOf(this.now());
  }

  /** The checked query of a request: a bad period or filter is a 400, a district not the reader's a 403. */
  async resolveQuery(principal: StaffPrincipal, input: StatsFilterInput): Promise<StatsQuery> {
    const scope = districtScope(principal);
    const period = parsePeriod(input.from, input.to, this.today());
    let districtId = scope;
    if (!blank(input.district)) {
      const asked = input.district!.trim();
      const known = (await listDistricts(this.pool)).some((d) => d.id === asked);
      if (!known) throw new ValidationError(`unknown district "${asked}"`);
      if (scope !== null && scope !== asked)
        throw new ForbiddenError(`the statistics of district "${asked}" are not open to this account`);
      districtId = asked;
    }
    let cameraId: string | null = null;
    if (!blank(input.camera)) {
      const camera = input.camera!.trim();
      if (!UUID.test(camera)) throw new ValidationError(`camera "${camera}" is not a camera id`);
      const district = await cameraDistrict(this.pool, camera);
      if (district === null) throw new ValidationError(`unknown camera ${camera}`);
      if (scope !== null && district !== scope)
        throw new ForbiddenError('the camera belongs to a district not open to this account');
      if (districtId !== null && district !== districtId)
        throw new ValidationError(`camera ${camera} is not in district "${districtId}"`);
      cameraId = camera.toLowerCase();
    }
    let rule: string | null = null;
    if (!blank(input.rule)) {
      rule = input.rule!.trim();
      if (!(RULE_NAMES as readonly string[]).includes(rule))
        throw new ValidationError(`unknown rule "${rule}"`);
    }
    let violationType: string | null = null;
    if (!blank(input.type)) {
      violationType = input.type!.trim();
      if (!(VIOLATION_TYPE_CODES as readonly string[]).includes(violationType))
        throw new ValidationError(`unknown violation type "${violationType}"`);
    }
    return { districtId, ...period, ...periodBounds(period), cameraId, rule, violationType };
  }

  /** The choices of the filter form: the districts the reader may pick and the cameras of the district in effect. */
  async filterChoices(principal: StaffPrincipal, q: StatsQuery) {
    const scope = districtScope(principal);
    const districts = (await listDistricts(this.pool)).filter((d) => scope === null || d.id === scope);
    const cameras = await camerasForFilter(this.pool, q.districtId);
    return { districts, cameras };
  }

  async pipeline(q: StatsQuery, by: StatsDimension): Promise<PipelineFigures> {
    return this.pipelineFrom(await this.source(q), q, by);
  }

  private async pipelineFrom(src: FigureSource, q: StatsQuery, by: StatsDimension): Promise<PipelineFigures> {
    const frameBy = by === 'rule' || by === 'type' ? null : by;
    const candidateBy = by === 'type' ? null : by;
    const [violations, reviews, frames, candidates, daily] = await Promise.all([
      src.violationCounts(by),
      src.reviewCounts(by),
      frameBy ? frameCounts(this.pool, q, frameBy) : Promise.resolve([]),
      candidateBy ? src.candidateCounts(candidateBy) : Promise.resolve([]),
      src.violationsPerDay(),
    ]);
    const keys = [...new Set([...violations, ...frames, ...candidates, ...reviews].map((r) => r.key))];
    const names = new Map(
      (by === 'district'
        ? await districtNames(this.pool, keys)
        : by === 'camera'
          ? await cameraNames(this.pool, keys)
          : []
      ).map((n) => [n.key, n.label]),
    );
    return {
      by,
      framesApply: frameBy !== null,
      candidatesApply: candidateBy !== null,
      rows: keys.map((key) => ({ key, name: names.get(key) ?? null })),
      violations: new Map(violations.map((r) => [r.key, r])),
      reviews: new Map(reviews.map((r) => [r.key, r])),
      frames: new Map(frames.map((r) => [r.key, r])),
      candidates: new Map(candidates.map((r) => [r.key, r])),
      daily,
    };
  }

  /**
   * The overview: the pipeline's totals (by district, where every figure applies), violations by type, cases by
   * state, the payment rate and the complaints.
   */
  async overview(q: StatsQuery): Promise<OverviewFigures> {
    const src = await this.source(q);
    const [pipeline, byType, cases, payments, complaints] = await Promise.all([
      this.pipelineFrom(src, q, 'district'),
      src.violationCounts('type'),
      src.casesByState(),
      src.paymentRate(),
      this.complaints(q),
    ]);
    return { pipeline, byType, cases, payments: { channels: [], rate: payments }, complaints };
  }

  async cases(q: StatsQuery): Promise<CasesFigures> {
    const src = await this.source(q);
    const [states, durations, statements, hearings, afterDecision] = await Promise.all([
      src.casesByState(),
      src.stepDurations(),
      statementsByOutcome(this.pool, q),
      hearingsByStatus(this.pool, q),
      afterDecisionEvents(this.pool, q),
    ]);
    return { states, durations, statements, hearings, afterDecision };
  }

  async payments(q: StatsQuery): Promise<PaymentFigures> {
    const src = await this.source(q);
    const [channels, rate] = await Promise.all([src.paymentsByChannel(), src.paymentRate()]);
    return { channels, rate };
  }

  async complaints(q: StatsQuery): Promise<ComplaintFigures> {
    const rows = await complaintCounts(this.pool, q, this.today());
    const names = new Map(
      (
        await districtNames(
          this.pool,
          rows.map((r) => r.district_id),
        )
      ).map((n) => [n.key, n.label]),
    );
    return { rows: rows.map((r) => ({ ...r, name: names.get(r.district_id) ?? r.district_id })) };
  }

  /** Every violation of the query, in batches of `batch` rows (keyset by capture time and id): never all at once. */
  async *violationDetail(q: StatsQuery, batch = 2_000): AsyncGenerator<ViolationDetailRow[]> {
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const rows = await violationDetailPage(this.pool, q, after, batch);
      if (rows.length === 0) return;
      yield rows;
      const last = rows[rows.length - 1]!;
      after = { at: last.first_seen_at, id: last.id };
      if (rows.length < batch) return;
    }
  }
}
