import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../shared/errors.js';

/**
 * Text that Postgres cannot store is refused at the door, once for every route, instead of failing deep inside
 * a query as a 500. PostgreSQL text and jsonb cannot hold U+0000 at all, and no form or API of ours has a use
 * for it, so any string in a body, query string or path parameter that holds one is a 400 naming where it was.
 * Streamed multipart bodies are not parsed before the handler; their reader calls `assertNoNul` on each field.
 */

const MAX_DEPTH = 64;

/** The path of the first string (or object key) under `value` that holds U+0000, or null. */
export function findNul(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : null;
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return null;
  if (depth > MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const here = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return here;
    const found = findNul(item, here, depth + 1);
    if (found) return found;
  }
  return null;
}

export class NulCharacterError extends ValidationError {
  constructor(where: string) {
    super(`${where.replaceAll('\u0000', '\\u0000')}: text must not contain the NUL character (U+0000)`);
  }
}

/** Throws a 400 when `value` (a field read by hand, e.g. from a multipart stream) holds U+0000. */
export function assertNoNul(value: unknown, where: string): void {
  const found = findNul(value, where);
  if (found) throw new NulCharacterError(found);
}

/** Installs the check for every route of `app`; call before the routes are registered. */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    assertNoNul(request.params, 'path');
    assertNoNul(request.query, 'query');
    assertNoNul(request.body, 'body');
  });
}

/**
 * The deepest page a list serves. Postgres takes OFFSET as a bigint, so a schema without a bound lets 1e30 through
 * to a query that fails; no one pages a million rows deep.
 */
export const MAX_LIST_OFFSET = 1_000_000;
