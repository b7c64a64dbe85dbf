import type { Pool } from '../db/pool.js';
import { GroupedCalls } from '../shared/grouped-calls.js';
import { enqueueAudit, type AuditEntry } from './audit.repo.js';

/**
 * Group commit for the audit outbox. Each view must be committed before its page is served, but a commit per
 * view costs a WAL flush per view, which was most of a notice page's time under a crowd. So entries that arrive
 * while one insert is in flight wait for it and go together in the next one (GroupedCalls): one commit for all
 * of them, and each caller still returns only once its own entry is durable. Alone, an entry is written at once.
 */
export class AuditOutboxWriter {
  private readonly inserts: GroupedCalls<{ entry: AuditEntry; at: Date }, undefined>;

  constructor(pool: Pool, maxBatch = 500) {
    this.inserts = new GroupedCalls(
      async (batch) => {
        await enqueueAudit(pool, batch);
        return batch.map(() => undefined);
      },
      { maxBatch },
    );
  }

  record(entry: AuditEntry, at: Date = new Date()): Promise<undefined> {
    return this.inserts.call({ entry, at });
  }
}
