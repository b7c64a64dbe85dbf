import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** Postgres, the record. */
export const databaseSchema = {
  databaseUrl: Type.String({ pattern: '^postgres(ql)?://', description: 'DATABASE_URL' }),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200, description: 'DATABASE_POOL_SIZE' }),
};

export function readDatabase(env: EnvReader) {
  return {
    databaseUrl: env.get('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/enforcement'),
    databasePoolSize: env.int('DATABASE_POOL_SIZE', 10),
  };
}
