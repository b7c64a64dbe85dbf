import type { Pool } from '../db/pool.js';
import { scheduledWithoutNotice } from './hearing.repo.js';
import type { CaseNoticeKind, CaseNoticeService } from '../notices/case-notice.service.js';
import { recoverStaleDeliveries, type DeliveryRetry } from '../notices/delivery-jobs.js';
import type { DeliveryService } from '../notices/delivery.service.js';
import { caseHasNotice, stalePendingDeliveries } from '../notices/notice.repo.js';
import { JOB_LOCK_MS } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import type { Logger } from '../shared/logger.js';
import { dueTimedEvents } from './case-machine.js';
import {
  casesDueForSweep,
  casesMissingNotice,
  clearNoticeIssueFailure,
  filedCasesWithoutPenalty,
  recordNoticeIssueFailure,
  saveFlags,
} from './case.repo.js';
import { appealPeriodsOf } from './agency-config.adapter.js';
import { flagsFor, machineContextFor, type CaseService } from './case.service.js';

/**
 * The scheduled `case-sweep`: moves cases whose next step is due and records their deadline flags. Every step
 * is idempotent (a notice is issued once per case and kind, an event is applied only in the state that takes
 * it, flags are recomputed), so two sweeps at once or a retried sweep change nothing twice.
 *
 * 1. A filed case with no proposed fine is closed without penalty.
 * 2. A filed case gets its advance notice; a decided case its decision (rendered, sealed, stored, delivered).
 * 3. Once a day per case: timed events (statement window elapsed, payment deadline passed) and the flags
 *    `at_risk`, `missed` and `reminder`.
 * 4. An overdue case gets its demand to pay (催告书), the written step before the court may be asked to
 *    enforce the fine, issued and delivered like the others.
 * 3a. Announcements (公告送达) whose sixty days have run are recorded as service (src/notices/announcement.service.ts).
 * 5. Deliveries left pending without a job (an enqueue lost after commit, a Redis that lost its data) are
 *    enqueued again; those whose job failed without deciding (stalled past the limit) fall back to post.
 */

export interface SweepDeps {
  pool: Pool;
  cases: CaseService;
  notices: CaseNoticeService;
  delivery: DeliveryService;
  queues: Queues;
  retry: DeliveryRetry;
  logger: Logger;
  /** Cases handled per step and run; the rest wait for the next run. */
  batchSize?: number;
  /** How long a delivery may stay pending before its job is checked (default 120 s). */
  staleDeliveryS?: number;
  /** Service by announcement: records the service of those whose sixty days have run (src/notices/). */
  announcements?: { takeEffect(today: string, logger?: Logger): Promise<number> };
}

export interface SweepReport {
  closedWithoutPenalty: number;
  advanceNotices: number;
  decisions: number;
  paymentDemands: number;
  timedEvents: number;
  flagged: number;
  requeuedDeliveries: number;
  abandonedDeliveries: number;
  /** announcements whose waiting period ran: served, the case moved as on a receipt */
  announcementsServed: number;
  errors: string[];
}

const STALE_PENDING_S = 120;

export class CaseSweepService {
  constructor(private readonly deps: SweepDeps) {}

  async sweep(): Promise<SweepReport> {
    const { pool, cases, notices } = this.deps;
    const batch = this.deps.batchSize ?? 100;
    const today = cases.today();
    const report: SweepReport = {
      closedWithoutPenalty: 0,
      advanceNotices: 0,
      decisions: 0,
      paymentDemands: 0,
      timedEvents: 0,
      flagged: 0,
      requeuedDeliveries: 0,
      abandonedDeliveries: 0,
      announcementsServed: 0,
      errors: [],
    };
    const each = async (ids: string[], step: string, fn: (id: string) => Promise<void>) => {
      for (const id of ids) {
        try {
          await fn(id);
        } catch (error) {
          // One case that cannot move must not hold up the others; it is tried again on the next run.
          const { attempts, nextAttemptAt } = error as { attempts?: number; nextAttemptAt?: Date };
          report.errors.push(`${step} ${id}: ${(error as Error).message}`);
          this.deps.logger.error(
            { caseId: id, step, err: (error as Error).message, attempts, nextAttemptAt },
            'case sweep step failed',
          );
        }
      }
    };

    await each(await filedCasesWithoutPenalty(pool, batch), 'close_without_penalty', async (id) => {
      // The no-penalty decision is issued and delivered first: the case ends with its own sealed document.
      const issued = await notices.issue(id, 'no_penalty_decision');
      if (!issued && !(await caseHasNotice(pool, id, 'no_penalty_decision'))) return;
      await cases.withCase(id, async (tx, row) => {
        if (row.status !== 'filed' || row.snapshot.proposedFineFen !== 0) return;
        await cases.applyEvent(
          tx,
          row,
          { type: 'close_without_penalty', on: today },
          { kind: 'system', id: 'case-sweep' },
        );
        report.closedWithoutPenalty++;
      });
    });

    // A document that cannot be issued is retried with backoff and shown to staff on the case page, rather than
    // tried (and logged) on every sweep.
    const issue = async (id: string, kind: CaseNoticeKind): Promise<boolean> => {
      try {
        const issued = await notices.issue(id, kind);
        await clearNoticeIssueFailure(pool, id, kind);
        return issued !== null;
      } catch (error) {
        const failure = await recordNoticeIssueFailure(pool, id, kind, (error as Error).message);
        throw Object.assign(new Error(`${(error as Error).message} (attempt ${failure.attempts})`), {
          attempts: failure.attempts,
          nextAttemptAt: failure.next_attempt_at,
        });
      }
    };
    await each(
      await casesMissingNotice(pool, 'filed', 'advance_notice', batch),
      'advance_notice',
      async (id) => {
        if (await issue(id, 'advance_notice')) report.advanceNotices++;
      },
    );
    await each(await scheduledWithoutNotice(pool, batch), 'hearing_notice', async (id) => {
      await issue(id, 'hearing_notice');
    });
    await each(await casesMissingNotice(pool, 'decided', 'decision', batch), 'decision', async (id) => {
      if (await issue(id, 'decision')) report.decisions++;
    });

    // Before the deadlines, so that the periods an announcement starts are flagged in the same sweep.
    if (this.deps.announcements)
      report.announcementsServed = await this.deps.announcements.takeEffect(today, this.deps.logger);

    await each(await casesDueForSweep(pool, today, batch), 'deadlines', async (id) => {
      await cases.withCase(id, async (tx, row) => {
        for (const event of dueTimedEvents(row.snapshot, today)) {
          await cases.applyEvent(tx, row, event, { kind: 'system', id: 'case-sweep' });
          report.timedEvents++;
        }
        const flags = flagsFor(
          row.snapshot,
          today,
          await machineContextFor(row.snapshot),
          await appealPeriodsOf(row.district_id),
        );
        if (flags.length > 0) report.flagged++;
        await saveFlags(tx, id, flags, today);
      });
    });

    // After the deadlines, so that a case found overdue in this sweep gets its demand in the same one.
    await each(
      await casesMissingNotice(pool, 'overdue', 'payment_demand', batch),
      'payment_demand',
      async (id) => {
        if (await issue(id, 'payment_demand')) report.paymentDemands++;
      },
    );

    const stale = await stalePendingDeliveries(pool, this.deps.staleDeliveryS ?? STALE_PENDING_S, batch);
    if (stale.length > 0) {
      const recovered = await recoverStaleDeliveries(this.deps, stale);
      report.requeuedDeliveries = recovered.requeued;
      report.abandonedDeliveries = recovered.gaveUp;
    }
    const moved =
      report.closedWithoutPenalty +
      report.advanceNotices +
      report.decisions +
      report.paymentDemands +
      report.timedEvents +
      report.requeuedDeliveries +
      report.abandonedDeliveries +
      report.announcementsServed;
    if (moved > 0 || report.errors.length > 0)
      this.deps.logger.info({ ...report, errors: report.errors.length }, 'case sweep');
    return report;
  }
}

export function caseSweepHandler(service: CaseSweepService): HandlerSpec<'case-sweep'> {
  // Issuing documents renders PDFs; a generous lock keeps a long sweep from being taken twice.
  return {
    concurrency: 1,
    lockDurationMs: JOB_LOCK_MS['case-sweep'],
    handle: async () => void (await service.sweep()),
  };
}
