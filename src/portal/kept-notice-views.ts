/**
 * What the notice page shows of each notice, kept in the process for a moment: a crowd reloading one notice
 * costs Postgres one query (and the process one build of the page's view) per `keepMs`, not one per request.
 *
 * An entry holds until `keepMs` after it was asked for, and only for the day it was built on (`today`): the
 * deadlines and what the party may do turn at midnight in Shanghai, so the first request of a new day builds it
 * again. Concurrent requests for a notice that is not kept share one build; a build that fails is not kept. The
 * party's own steps drop the entries of their case at once (`forget`); a step taken by staff, or through another
 * API process, shows within `keepMs`.
 *
 * A kept view is handed to every request of its moment, so it is read, never changed, by its users; the
 * rendered page can be kept beside it (see portal-pages.routes.ts), keyed on the view itself.
 */
export class KeptNoticeViews<V extends object> {
  private readonly kept = new Map<
    string,
    { view: Promise<V>; until: number; today: string; caseId: string | null }
  >();

  constructor(
    private readonly keepMs: number,
    /** at most this many notices are kept; past it the oldest quarter goes */
    private readonly max = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(notice: { id: string; case_id: string | null }, today: string, build: () => Promise<V>): Promise<V> {
    const now = this.now();
    const kept = this.kept.get(notice.id);
    if (kept && kept.until > now && kept.today === today) return kept.view;
    const entry = { view: build(), until: now + this.keepMs, today, caseId: notice.case_id };
    if (this.kept.size >= this.max)
      for (const old of [...this.kept.keys()].slice(0, Math.ceil(this.max / 4))) this.kept.delete(old);
    this.kept.set(notice.id, entry);
    entry.view.catch(() => {
      if (this.kept.get(notice.id) === entry) this.kept.delete(notice.id);
    });
    return entry.view;
  }

  /** Drops the notice and every notice of its case. */
  forget(notice: { id: string; case_id: string | null }): void {
    for (const [id, entry] of this.kept)
      if (id === notice.id || (notice.case_id !== null && entry.caseId === notice.case_id))
        this.kept.delete(id);
  }

  get size(): number {
    return this.kept.size;
  }
}
