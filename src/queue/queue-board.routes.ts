import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { assertRole } from '../auth/principal.js';
import type { Config } from '../config/config.js';
import { DomainError, UnauthorizedError } from '../shared/errors.js';
import { JOB_NAMES } from './jobs.js';
import type { Queues } from './queues.js';

type BoardAnswer = ReturnType<Parameters<FastifyAdapter['setErrorHandler']>[0]>;

export const QUEUE_BOARD_PATH = '/admin/queues';

/** The cookie the board's own scripts read (axios sends it back as X-XSRF-TOKEN), set only when writable. */
const XSRF_COOKIE = 'XSRF-TOKEN';

const BOARD_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

/**
 * The admins' queue board (bull-board) at /admin/queues: every queue's jobs, their states, data and errors.
 *
 * - Admins only: anyone else gets 401 (a sign-in redirect for the page) or 403.
 * - Read-only unless QUEUE_BOARD=writable: bull-board hides and refuses its actions, and every request but GET is
 *   refused here before it reaches the board.
 * - Writable: each action is a state-changing request and needs the CSRF token. The board's page sets it in a
 *   script-readable cookie, its scripts send it back in a header, and it is checked against the signed secret
 *   cookie as on every other form of the app.
 */
export interface QueueBoardDeps {
  config: Config;
  queues: Queues;
}

export const queueBoardRoutes: FastifyPluginAsyncTypebox<QueueBoardDeps> = async (app, deps) => {
  if (deps.config.queueBoard === 'off') return;
  const readOnly = deps.config.queueBoard !== 'writable';
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: JOB_NAMES.map((name) => new BullMQAdapter(deps.queues.queue(name), { readOnlyMode: readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: '任务队列 Queues' } },
  });

  // Errors of the board's routes (ours from the hooks below among them) go through the board's own error handler:
  // this one answers like the rest of the app, 4xx with a code, 5xx without details.
  // (the board's type lists fewer statuses than its adapter sends, 401 among them)
  const answer = (status: number, error: string, message: string): BoardAnswer => ({
    status: status as BoardAnswer['status'],
    body: { error, message },
  });
  serverAdapter.setErrorHandler((error: Error & { statusCode?: number; code?: string }) => {
    if (error instanceof DomainError) {
      return answer(error.statusCode, error.code, error.message);
    }
    if (error.code?.startsWith('FST_CSRF')) return answer(403, 'csrf', error.message);
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return answer(error.statusCode, error.code ?? 'bad_request', error.message);
    }
    app.log.error({ err: error }, 'queue board error');
    return answer(500, 'internal', 'internal error');
  });

  await app.register(async (board) => {
    board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const api = request.url.startsWith(`${QUEUE_BOARD_PATH}/api/`);
      const asset = request.url.startsWith(`${QUEUE_BOARD_PATH}/static/`);
      if (!request.staff) {
        if (request.method === 'GET' && !api && !asset) {
          return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
        }
        throw new UnauthorizedError();
      }
      assertRole(request.staff, ['admin']);
      if (request.method === 'GET' || request.method === 'HEAD') {
        if (!readOnly && !api && !asset) {
          reply.setCookie(XSRF_COOKIE, reply.generateCsrf(), {
            path: QUEUE_BOARD_PATH,
            sameSite: 'strict',
            secure: deps.config.cookieSecure,
            httpOnly: false,
          });
        }
        return;
      }
      if (readOnly) {
        throw new DomainError(
          403,
          'read_only',
          'the queue board is read-only (QUEUE_BOARD=writable allows actions)',
        );
      }
    });
    // After the body is parsed, so that a token sent in a form field is seen as well as one in a header.
    board.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') return done();
      app.csrfProtection.call(board, request, reply, done);
    });
    board.addHook('onSend', async (_request, reply, payload) => {
      reply.header('content-security-policy', BOARD_CSP);
      reply.header('cache-control', 'no-store');
      return payload;
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
};
