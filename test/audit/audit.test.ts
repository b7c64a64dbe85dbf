import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditNow, verifyAuditChain } from '../../src/audit/audit.repo.js';
import { createTestDatabase, type TestDatabase } from '../support/test-db.js';

const run = promisify(execFile);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

describe('audit log', () => {
  it('chains concurrent appends into one valid chain', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appendAuditNow(db.pool, {
          actorKind: 'system',
          action: 'test.append',
          subjectKind: 'n',
          subjectId: String(i),
          data: { i, nested: { z: 1, a: [i] } },
        }),
      ),
    );
    const result = await verifyAuditChain(db.pool, 7);
    expect(result).toMatchObject({ ok: true, rowsChecked: 40 });
  });

  it('refuses updates and deletes', async () => {
    await expect(db.pool.query(`update audit_log set action = 'x' where id = 1`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.pool.query('delete from audit_log where id = 1')).rejects.toThrow(/append-only/);
  });

  it('the verify command finds a tampered row', async () => {
    const { rows } = await db.pool.query<{ id: number }>(
      'select id from audit_log order by id offset 17 limit 1',
    );
    const tampered = rows[0]!.id;
    // Only a superuser bypassing the trigger can do this; the chain still shows it.
    await db.pool.query('alter table audit_log disable trigger audit_log_append_only');
    await db.pool.query(`update audit_log set data = '{"i": 999}' where id = $1`, [tampered]);
    await db.pool.query('alter table audit_log enable trigger audit_log_append_only');

    const err = await run('npx', ['tsx', 'scripts/audit-verify.ts'], {
      env: { ...process.env, DATABASE_URL: db.url },
    }).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stdout).toContain(`BROKEN at row ${tampered}`);
  });
});
