import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app/deps.js';
import { pingDatabase } from '../db/ping.js';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer in ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

async function check(fn: () => Promise<unknown>, what: string): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), what);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message || String(err) };
  }
}

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });

export async function healthRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: Postgres and Redis are reachable',
        response: {
          200: Type.Object({ status: Type.String(), checks: Type.Object({ postgres: Check, redis: Check }) }),
          503: Type.Object({ status: Type.String(), checks: Type.Object({ postgres: Check, redis: Check }) }),
        },
      },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        check(() => pingDatabase(deps.pool), 'postgres'),
        check(() => deps.redis.ping(), 'redis'),
      ]);
      const ready = postgres.ok && redis.ok;
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { postgres, redis } });
    },
  );
}
