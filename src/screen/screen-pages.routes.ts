import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { SESSION_COOKIE } from '../auth/auth.plugin.js';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import { ForbiddenError, TooManyRequestsError } from '../shared/errors.js';
import { sendPage } from '../web/layout.js';
import { pageStaff, staffPage } from '../web/pages.js';
import { i18nFor } from '../web/i18n/index.js';
import { sseMessage, type ScreenEvent } from './screen-stream.js';
import type { ScreenScope, ScreenService } from './screen.service.js';
import { screenView } from './screen.view.js';

export interface ScreenPageDeps {
  screen: ScreenService;
}

/** Who sees the command screen: admins (the city or any district), district staff, agency heads and leaders. */
const SCREEN_ROLES: StaffRole[] = ['admin', 'district_staff', 'agency_head', 'leader'];

const ScreenQuery = Type.Object(
  {
    district: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_-]{1,31}$',
        description: 'an admin picks a district; others may name only their own',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A stream that stops writing once this much is queued for a client that does not read (a frozen tab). */
const MAX_QUEUED_BYTES = 1_048_576;

/** The district select sends `district=` for the whole city. */
function requestedDistrict(query: { district?: string | undefined }): string | undefined {
  return query.district === '' ? undefined : query.district;
}

export const screenPageRoutes: FastifyPluginAsyncTypebox<ScreenPageDeps> = async (app, { screen }) => {
  /** Every open stream's end, so the server can close them when it stops (a stream would hold it open). */
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/screen',
    {
      schema: {
        hide: true,
        querystring: Type.Object(
          { district: Type.Optional(Type.Union([Type.Literal(''), ScreenQuery.properties.district])) },
          { additionalProperties: false },
        ),
      },
      preHandler: staffPage(...SCREEN_ROLES),
    },
    async (request, reply) => {
      const staff = pageStaff(request);
      const scope = await screen.scope(staff, requestedDistrict(request.query));
      return sendPage(reply, screenView(await screen.page(staff, scope), staff));
    },
  );

  app.get('/screen/events', { schema: { hide: true, querystring: ScreenQuery } }, async (request, reply) => {
    const staff = request.staff;
    // Signed out (or the session lapsed): the page is told on the stream, so it shows its sign-in banner
    // instead of retrying a redirect to the sign-in page that an EventSource cannot follow usefully.
    if (!staff) {
      reply.hijack();
      reply.raw.writeHead(200, { ...STREAM_HEADERS, 'x-request-id': request.id });
      reply.raw.end(sseMessage('session-expired', {}));
      return;
    }
    if (!SCREEN_ROLES.includes(staff.role))
      throw new ForbiddenError(i18nFor(staff).t('error.roleCannotOpen'));
    const scope = await screen.scope(staff, request.query.district);
    if (!screen.openStream(staff)) throw new TooManyRequestsError(i18nFor(staff).t('screen.tooManyStreams'));
    reply.hijack();
    reply.raw.writeHead(200, { ...STREAM_HEADERS, 'x-request-id': request.id });
    stream({
      screen,
      staff,
      scope,
      token: request.cookies[SESSION_COOKIE],
      raw: reply.raw,
      onClose: (listener) => {
        request.raw.on('close', listener);
        reply.raw.on('close', listener);
        reply.raw.on('error', listener);
        // the client may have gone while the scope was read, before anyone listened
        if (request.raw.destroyed || reply.raw.destroyed) listener();
      },
      warn: (err) => request.log.warn({ err }, 'command screen snapshot failed'),
      open,
    });
  });
};

/** A hijacked reply skips the app's onSend hook: the headers it would add are written here. */
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

interface StreamContext {
  screen: ScreenService;
  staff: StaffPrincipal;
  scope: ScreenScope;
  token: string | undefined;
  raw: ServerResponse;
  onClose(listener: () => void): void;
  warn(err: unknown): void;
  open: Set<() => void>;
}

/**
 * One live stream: a snapshot now and every SCREEN_SNAPSHOT_SECONDS (the next one timed from the end of the last,
 * so a slow database never piles reads up), a heartbeat every SCREEN_HEARTBEAT_SECONDS, and before each snapshot
 * a check that the session still stands; when it does not, a `session-expired` event and the end.
 */
function stream(ctx: StreamContext): void {
  const { screen, staff, scope, raw } = ctx;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const send = (event: ScreenEvent, data: unknown): void => {
    if (!closed && raw.writableLength < MAX_QUEUED_BYTES) raw.write(sseMessage(event, data));
  };
  const end = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearInterval(heartbeat);
    ctx.open.delete(end);
    screen.closeStream(staff);
    if (!raw.writableEnded) raw.end();
  };
  const tick = async (): Promise<void> => {
    try {
      if (!(await screen.stillSignedIn(ctx.token, staff))) {
        send('session-expired', {});
        end();
        return;
      }
      send('snapshot', await screen.snapshot(staff, scope));
    } catch (err) {
      ctx.warn(err);
    }
    if (!closed) timer = setTimeout(() => void tick(), screen.settings.snapshotSeconds * 1000);
  };
  const heartbeat = setInterval(
    () => send('heartbeat', { at: new Date().toISOString() }),
    screen.settings.heartbeatSeconds * 1000,
  );
  ctx.open.add(end);
  ctx.onClose(end);
  void tick();
}
