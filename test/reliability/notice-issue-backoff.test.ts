import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotifyServices } from '../../src/app/notify-worker.js';
import { createLogger } from '../../src/shared/logger.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { createTestContext, seedStaff, TestClient, type TestContext } from '../support/test-app.js';

/*
 * A case whose advance notice cannot be issued (here: the document store cannot be written). Before: every sweep
 * (every 10 s in the demo) tried again and logged the same error, forever, and staff saw nothing. Now a failure
 * is recorded with a backoff, the next sweeps leave the case alone until it is due, the case page says so, and a
 * later success clears it.
 */

let ctx: TestContext;
const logger = createLogger('silent', 'test');

beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('a notice that cannot be issued', () => {
  it('is retried with backoff, shown to staff, and cleared once issued', async () => {
    const seed = await seedPudong(ctx);
    const caseId = await fileCase(ctx, seed, (await seedCaseParty(ctx, { phone: null })).id);
    // A blob store rooted under a plain file: every write fails, as on a full or read-only disk.
    const blocker = path.join(os.tmpdir(), `enf-blocked-${process.pid}-${Date.now()}`);
    await writeFile(blocker, 'not a folder');
    const broken = createNotifyServices({
      config: ctx.config,
      pool: ctx.pool,
      blobs: new FsBlobStore(path.join(blocker, 'data')),
      queues: ctx.queues,
      logger,
      channels: {},
    });

    const first = await broken.sweep.sweep();
    expect(first.errors.filter((e) => e.includes(caseId))).toHaveLength(1);
    const second = await broken.sweep.sweep();
    expect(second.errors.filter((e) => e.includes(caseId))).toEqual([]);

    const { rows } = await ctx.pool.query<{ attempts: number; due_in_s: number }>(
      `select attempts, extract(epoch from next_attempt_at - now())::float as due_in_s
         from notice_issue_failures where case_id = $1 and kind = 'advance_notice'`,
      [caseId],
    );
    expect(rows[0]!.attempts).toBe(1);
    expect(rows[0]!.due_in_s).toBeGreaterThan(10);

    const staff = await seedStaff(ctx.pool, 'pd-legal-backoff', 'legal_reviewer', 'pudong');
    const client = await new TestClient(ctx.app).login(staff.username, staff.password);
    const page = await client.request('GET', `/staff/cases/${caseId}`);
    expect(page.body).toContain('data-issue-failure="advance_notice"');

    // Once due, a failing try doubles the wait; a working store then issues it and the flag goes.
    await ctx.pool.query(`update notice_issue_failures set next_attempt_at = now() where case_id = $1`, [
      caseId,
    ]);
    await broken.sweep.sweep();
    const doubled = await ctx.pool.query<{ attempts: number; due_in_s: number }>(
      `select attempts, extract(epoch from next_attempt_at - now())::float as due_in_s
         from notice_issue_failures where case_id = $1`,
      [caseId],
    );
    expect(doubled.rows[0]!.attempts).toBe(2);
    expect(doubled.rows[0]!.due_in_s).toBeGreaterThan(40);

    await ctx.pool.query(`update notice_issue_failures set next_attempt_at = now() where case_id = $1`, [
      caseId,
    ]);
    const working = createNotifyServices({
      config: ctx.config,
      pool: ctx.pool,
      blobs: ctx.blobs,
      queues: ctx.queues,
      logger,
      channels: {},
    });
    const fixed = await working.sweep.sweep();
    expect(fixed.advanceNotices).toBeGreaterThanOrEqual(1);
    const left = await ctx.pool.query('select 1 from notice_issue_failures where case_id = $1', [caseId]);
    expect(left.rowCount).toBe(0);
    const after = await client.request('GET', `/staff/cases/${caseId}`);
    expect(after.body).not.toContain('data-issue-failure');
  }, 120_000);
});
