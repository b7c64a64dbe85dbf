import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import { answerFor, type ErrorAnswer } from '../http/error-handler.js';
import { messageFor } from '../http/error-language.js';
import { DomainError, ForbiddenError } from '../shared/errors.js';
import { html, type SafeHtml } from './html.js';
import { i18nFor, type MessageKey } from './i18n/index.js';
import { page, sendPage } from './layout.js';

/**
 * What every browser page shares: one guard for staff pages and one error handler that renders the error page.
 * Page routes are registered inside one encapsulated context (`src/app/api.ts`) on which
 * `installPageErrorHandler` is called; they throw domain errors and never catch them to render an error.
 */

/**
 * What a page route may say about its error page, in its route `config: { errorPage }`. The handler below always
 * decides the status and the message; these only shape how the page shows them.
 */
export interface ErrorPageOptions {
  /** the id of the element holding the message, for a form page whose scripts and tests look for it */
  id?: string;
  /** where the page's "Back" link goes; `:name` is filled from the route's params (e.g. `/staff/cases/:id`) */
  back?: string;
  /**
   * A template of its own for pages with their own layout (the citizen portal, in the party's language);
   * without one the page has the staff layout.
   */
  view?: ErrorPageView;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    errorPage?: ErrorPageOptions;
  }
}

/** The message element's id when a route names none: every error page has one to find it by. */
export const PAGE_ERROR_ID = 'page-error';

/** The catalogue's messages that have no placeholders: error titles and messages. */
type PlainKey = Exclude<Extract<MessageKey, `error.${string}`>, 'error.requestId'>;

const TITLES: Record<number, PlainKey> = {
  400: 'error.badInput',
  401: 'error.signInRequired',
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.conflict',
  429: 'error.tooManyRequests',
  503: 'error.unavailable',
};

/** An error page template: the decided answer in, the page out. */
export type ErrorPageView = (answer: ErrorAnswer, request: FastifyRequest) => SafeHtml;

/**
 * A schema failure on a page is a link or a form that is not right, said in words a person reads (in the reader's
 * language); the JSON API keeps the schema's own message for the programmer.
 */
const INVALID_INPUT: Record<string, PlainKey> = {
  params: 'error.invalidLink',
  querystring: 'error.invalidLinkQuery',
  body: 'error.invalidForm',
};

function pageAnswer(err: FastifyError | DomainError | Error, request: FastifyRequest): ErrorAnswer {
  const answer = answerFor(err, request);
  const validation = (err as FastifyError).validation;
  if (!validation) return answer;
  const context = (err as FastifyError).validationContext ?? 'body';
  const { t } = i18nFor(request.staff);
  return { ...answer, message: t(INVALID_INPUT[context] ?? 'error.invalidForm') };
}

/** Renders any error thrown by a page route as a page, with the status the JSON API would give. */
export function installPageErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    const answer = pageAnswer(err, request);
    if (answer.headers) reply.headers(answer.headers);
    const options = request.routeOptions.config?.errorPage;
    if (options?.view) return sendPage(reply, options.view(answer, request), answer.status);
    const back = options?.back ? fillPath(options.back, request.params) : null;
    return sendPage(reply, staffErrorPage(answer, request, { id: options?.id, back }), answer.status);
  });
}

/**
 * The error page in the staff layout, in the reader’s language (Chinese by default). Every error page has a way back: the route's own, else the
 * staff start page for signed-in staff, else the home page.
 */
export function staffErrorPage(
  answer: ErrorAnswer,
  request: FastifyRequest,
  options: { id?: string | undefined; back?: string | null } = {},
): SafeHtml {
  const staff = request.staff ?? null;
  const { t } = i18nFor(staff);
  const key = TITLES[answer.status];
  const title = key ? t(key) : answer.status >= 500 ? t('error.internal') : t('error.other');
  const message =
    answer.status >= 500 && answer.status !== 503
      ? t('error.internalMessage')
      : messageFor(answer.message, answer.code, staff?.lang ?? 'zh');
  const back = options.back ?? null;
  return page(
    { title, staff },
    html`<h1>${title}</h1>
      <p class="error" id="${options.id ?? PAGE_ERROR_ID}" data-error-code="${answer.code}">${message}</p>
      ${answer.status >= 500 ? html`<p class="muted">${t('error.requestId', { id: request.id })}</p>` : ''}
      <p class="way-back">
        ${back ? html`<a id="error-back" href="${back}">${t('common.back')}</a>` : ''}
        ${
          staff
            ? html`<a id="error-home" href="/staff">${t('error.backToWork')}</a>`
            : html`<a id="error-home" href="/">${t('error.home')}</a>
                <a href="/devices">${t('error.devices')}</a>`
        }
      </p>`,
  );
}

/**
 * The answer for a URL no route serves: a browser asking for a page gets the 404 page with a way back; the API
 * (anything under /api/) and every other client get JSON.
 */
export function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.url.startsWith('/api/')) return false;
  return /\btext\/html\b/.test(request.headers.accept ?? '');
}

export function sendNotFoundPage(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const message = i18nFor(request.staff).t('error.noSuchPage');
  const answer: ErrorAnswer = { status: 404, code: 'not_found', message };
  return sendPage(reply, staffErrorPage(answer, request), 404);
}

/** `/staff/cases/:id` with the request's params filled in (each one encoded as a path segment). */
function fillPath(pattern: string, params: unknown): string {
  const values = (params ?? {}) as Record<string, unknown>;
  return pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
}

/**
 * The guard of every staff page: a visitor who is not signed in is sent to the sign-in page and back; a signed-in
 * member of staff without one of the roles gets the 403 page.
 */
export function staffPage(...roles: StaffRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!request.staff) {
      await reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      return;
    }
    if (roles.length > 0 && !roles.includes(request.staff.role)) {
      throw new ForbiddenError(i18nFor(request.staff).t('error.roleCannotOpen'));
    }
  };
}

/** The signed-in member of staff of a request that passed `staffPage`. */
export function pageStaff(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new DomainError(401, 'unauthorized', '请先登录 (sign in required)');
  return request.staff;
}
