import { withoutJit, type RowQuery } from '../db/no-jit.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { JOB_LOCK_MS } from '../queue/jobs.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import {
  deleteDirty,
  dirtyCount,
  lockRefresh,
  refreshPairs,
  takeDirty,
  type SummaryKind,
} from './stats-summary.repo.js';

/** Marks taken per transaction: a few seconds of work at most, so page reads waiting on the lock do not wait long. */
export const REFRESH_BATCH = 400;
/**
 * A statistics read brings the summary up to date itself when at most this many marks of its district wait (the
 * last minute's captures and decisions: tens of milliseconds); with more waiting (a bulk import, the first run after
 * the migration) it reads the source tables instead, exact and slower, while the scheduled refresh catches up.
 */
export const INLINE_REFRESH_LIMIT = 200;

/**
 * Keeps the statistics summary (migration 0038, docs/statistics.md "The summary") in step with the source tables:
 * the triggers mark each (kind, district, day) that changed; a refresh recomputes those days' rows and their
 * months' rows and removes the marks it handled, all in one transaction, one refresh at a time.
 */
export class StatsSummaryService {
  private readonly db: RowQuery;

  constructor(private readonly pool: Pool) {
    this.db = withoutJit(pool);
  }

  /** Recomputes up to `limit` of the oldest marks (of one district, or of all); gives back how many it took. */
  async refresh(districtId: string | null = null, limit = REFRESH_BATCH): Promise<number> {
    return withTransaction(this.pool, async (client) => {
      await lockRefresh(client);
      const marks = await takeDirty(client, districtId, limit);
      const byKind = new Map<SummaryKind, { districts: string[]; days: string[] }>();
      for (const m of marks) {
        const pairs = byKind.get(m.kind) ?? { districts: [], days: [] };
        pairs.districts.push(m.district_id);
        pairs.days.push(m.day);
        byKind.set(m.kind, pairs);
      }
      for (const [kind, pairs] of byKind) await refreshPairs(client, kind, pairs.districts, pairs.days);
      await deleteDirty(
        client,
        marks.map((m) => m.id),
      );
      return marks.length;
    });
  }

  /** Refreshes batch after batch until no mark is left or `budgetMs` has passed; gives back the marks handled. */
  async refreshAll(budgetMs = 50_000): Promise<number> {
    const started = Date.now();
    let total = 0;
    for (;;) {
      const n = await this.refresh(null, REFRESH_BATCH);
      total += n;
      if (n < REFRESH_BATCH || Date.now() - started > budgetMs) return total;
    }
  }

  /**
   * Before a statistics read of a district (or the city, null): true when the summary holds every change made
   * before the read, after bringing it up to date when few marks wait; false when too many wait (read the source
   * tables instead).
   */
  async prepare(districtId: string | null): Promise<boolean> {
    const waiting = await dirtyCount(this.db, districtId, INLINE_REFRESH_LIMIT + 1);
    if (waiting === 0) return true;
    if (waiting > INLINE_REFRESH_LIMIT) return false;
    await this.refresh(districtId, INLINE_REFRESH_LIMIT);
    return true;
  }
}

/** The scheduled refresh (`stats-summary`): every mark, in batches, within the job's lock. */
export function statsSummaryHandler(service: StatsSummaryService): HandlerSpec<'stats-summary'> {
  return {
    concurrency: 1,
    lockDurationMs: JOB_LOCK_MS['stats-summary'],
    handle: async () => void (await service.refreshAll(JOB_LOCK_MS['stats-summary'] / 2)),
  };
}
