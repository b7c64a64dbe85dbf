import type { Pool } from '../db/pool.js';
import { enqueueAudit, type AuditEntry } from './audit.repo.js';

/**
 * Group commit for the audit outbox. Each view must be committed before its page is served, but a commit per
 * view costs a WAL flush per view, which was most of a notice page's time under a crowd. So entries that arrive
 * while one insert is in flight wait for it and go together in the next one: one commit for all of them, and
 * each caller still returns only once its own entry is durable. Alone, an entry is written at once.
 */
export class AuditOutboxWriter {
  private pending: { entry: AuditEntry; at: Date; done: (error?: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly pool: Pool,
    private readonly maxBatch = 500,
  ) {}

  record(entry: AuditEntry, at: Date = new Date()): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ entry, at, done: (error) => (error ? reject(error) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, this.maxBatch);
        try {
          await enqueueAudit(this.pool, batch);
          for (const item of batch) item.done();
        } catch (error) {
          for (const item of batch) item.done(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
