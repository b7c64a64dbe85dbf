import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/shared/paths.js';

/**
 * The project's own lint rules (eslint.config.js) are what keep SQL in repositories and route input typed; these
 * checks run them on small sources placed, by name, where the rules apply and where they do not.
 */
const eslint = new ESLint({ cwd: REPO_ROOT });

async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${filePath}` });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

const sql = `import type { Queryable } from '../db/pool.js';
export async function names(db: Queryable): Promise<unknown[]> {
  return (await db.query('select name from cameras')).rows;
}
`;

const cast = `import type { FastifyRequest } from 'fastify';
export function idOf(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}
`;

describe('project lint rules', () => {
  it('refuse SQL in a service, a route or a worker, and allow it in a repository and the migration runner', async () => {
    expect(await ruleIds(sql, 'src/cameras/camera-names.service.ts')).toContain('local/sql-in-repos');
    expect(await ruleIds(sql, 'src/cameras/camera-names.routes.ts')).toContain('local/sql-in-repos');
    expect(await ruleIds(sql, 'workers/names.worker.ts')).toContain('local/sql-in-repos');
    expect(await ruleIds(sql, 'src/cameras/camera-names.repo.ts')).not.toContain('local/sql-in-repos');
    expect(await ruleIds(sql, 'src/db/names.ts')).not.toContain('local/sql-in-repos');
  });

  it('refuse a cast of request params, body or query', async () => {
    expect(await ruleIds(cast, 'src/cameras/camera-names.routes.ts')).toContain('local/typed-requests');
    const body = cast.replace('request.params as { id: string }', 'request.body as { id: string }');
    expect(await ruleIds(body, 'src/cameras/camera-names.routes.ts')).toContain('local/typed-requests');
    const typed = cast.replace('(request.params as { id: string }).id', 'String(request.id)');
    expect(await ruleIds(typed, 'src/cameras/camera-names.routes.ts')).toEqual([]);
  });
});
