import type { Readable } from 'node:stream';
import { appendAudit } from '../audit/audit.repo.js';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { DocumentTools } from '../cases/case-document.service.js';
import { agenciesConfig, agencyFor } from '../cases/agency-config.adapter.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { sealDocument } from '../documents/seal.js';
import { shanghaiDateOf } from '../law/local-date.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { JOB_LOCK_MS } from '../queue/jobs.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import type { BlobStore } from '../storage/blob-store.js';
import { staffI18n } from '../web/i18n/index.js';
import { statsSection } from './stats-pages.service.js';
import { monthPeriod, periodBounds, previousMonth } from './stats-period.js';
import type { StatsQuery } from './stats-query.js';
import { renderStatsReportPdf } from './stats-report-pdf.js';
import {
  districtNameOf,
  districtsWithoutReport,
  getStatsReport,
  listStatsReports,
  saveStatsReport,
  type StatsReportRow,
} from './stats-report.repo.js';
import type { StatsService } from './stats.service.js';

export interface StatsReportDeps {
  pool: Pool;
  blobs: BlobStore;
  stats: StatsService;
  tools: () => Promise<DocumentTools>;
  now?: () => Date;
}

/** Who may generate a report on demand (the leadership reads them). */
const GENERATORS = ['admin', 'district_staff', 'agency_head'];

/**
 * The monthly analysis report of a district: its figures for a calendar month from the statistics query layer,
 * rendered as a sealed PDF (the same Ed25519 seal as the case documents, over the PDF's bytes), stored in the
 * blob store and listed with its history. Made on demand from the page and by the monthly job for the month
 * before, for every district that has none yet.
 */
export class StatsReportService {
  private readonly now: () => Date;

  constructor(private readonly deps: StatsReportDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async generate(
    districtId: string,
    month: string,
    trigger: 'schedule' | 'staff',
    actor: StaffPrincipal | null,
  ): Promise<string> {
    const { pool, blobs, stats } = this.deps;
    const period = monthPeriod(month);
    const districtName = await districtNameOf(pool, districtId);
    if (districtName === null) throw new ValidationError(`unknown district "${districtId}"`);
    const q: StatsQuery = {
      districtId,
      ...period,
      ...periodBounds(period),
      cameraId: null,
      rule: null,
      violationType: null,
    };
    const i18n = staffI18n('zh');
    const sections = await Promise.all(
      (['overview', 'pipeline', 'cases', 'payments', 'complaints'] as const).map((tab) =>
        statsSection(stats, tab, q, 'street', i18n),
      ),
    );
    const tools = await this.deps.tools();
    const agency = agencyFor(await agenciesConfig(), districtId, districtName);
    const pdf = await renderStatsReportPdf(
      {
        agencyName: agency.agency.name,
        districtName,
        monthLabel: `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`,
        from: period.from,
        to: period.to,
        generatedOn: shanghaiDateOf(this.now()),
        sealKeyFingerprint: tools.sealFingerprint,
        charts: sections.flatMap((s) => s.charts),
        tables: sections.flatMap((s) => s.tables.filter((t) => t.id !== 'daily')),
      },
      tools.font,
    );
    const seal = sealDocument(pdf, tools.sealKey);
    const storageKey = `reports/stats/${districtId}/${month}-${seal.documentSha256}.pdf`;
    await blobs.put(storageKey, pdf, { ifNotExists: true, contentType: 'application/pdf' });
    return withTransaction(pool, async (tx) => {
      const id = await saveStatsReport(tx, {
        districtId,
        month: period.from,
        storageKey,
        sha256: seal.documentSha256,
        byteSize: pdf.length,
        seal,
        trigger,
        generatedBy: actor?.id ?? null,
      });
      await appendAudit(tx, {
        actorKind: actor ? 'staff' : 'system',
        actorId: actor?.id ?? null,
        action: 'stats.report_generated',
        subjectKind: 'stats_report',
        subjectId: id,
        districtId,
        data: { month, trigger, sha256: seal.documentSha256, storageKey },
      });
      return id;
    });
  }

  /** On demand from the page: a month of the reader's own district (an admin names the district). */
  async generateFor(principal: StaffPrincipal, month: string, district?: string): Promise<string> {
    if (!GENERATORS.includes(principal.role)) throw new ForbiddenError('this account reads reports only');
    const scope = districtScope(principal);
    const districtId = scope ?? district?.trim() ?? '';
    if (districtId === '') throw new ValidationError('choose the district of the report');
    if (scope !== null && district && district !== scope)
      throw new ForbiddenError('reports of another district are not open to this account');
    if (monthPeriod(month).from > shanghaiDateOf(this.now()))
      throw new ValidationError(`the month ${month} has not begun`);
    return this.generate(districtId, month, 'staff', principal);
  }

  /** The monthly job: last month's report of every district that has none yet. Returns how many it made. */
  async runMonthly(): Promise<number> {
    const month = previousMonth(shanghaiDateOf(this.now())).from.slice(0, 7);
    const missing = await districtsWithoutReport(this.deps.pool, `${month}-01`);
    for (const d of missing) await this.generate(d.id, month, 'schedule', null);
    return missing.length;
  }

  async list(principal: StaffPrincipal): Promise<StatsReportRow[]> {
    return listStatsReports(this.deps.pool, districtScope(principal));
  }

  async file(principal: StaffPrincipal, id: string): Promise<{ row: StatsReportRow; body: Readable }> {
    const row = await getStatsReport(this.deps.pool, id);
    const scope = districtScope(principal);
    if (!row || (scope !== null && row.district_id !== scope)) throw new NotFoundError('report');
    return { row, body: await this.deps.blobs.stream(row.storage_key) };
  }
}

/** The `stats-report` job: one at a time, with a lock long enough for a city's reports. */
export function statsReportHandler(service: StatsReportService): HandlerSpec<'stats-report'> {
  return {
    concurrency: 1,
    lockDurationMs: JOB_LOCK_MS['stats-report'],
    handle: async () => void (await service.runMonthly()),
  };
}
