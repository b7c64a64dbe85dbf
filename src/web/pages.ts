import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import { answerFor, type ErrorAnswer } from '../http/error-handler.js';
import { DomainError, ForbiddenError } from '../shared/errors.js';
import { html, type SafeHtml } from './html.js';
import { i18nFor, type PlainMessageKey } from './i18n/index.js';
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

const TITLES: Readonly<Record<number, PlainMessageKey>> = {
  400: 'error.badInput',
  401: 'error.signIn',
  403: 'error.forbidden',
  404: 'error.notFound',
  409: 'error.conflict',
  429: 'error.tooMany',
  503: 'error.unavailable',
};

/** An error page template: the decided answer in, the page out. */
export type ErrorPageView = (answer: ErrorAnswer, request: FastifyRequest) => SafeHtml;

/** Renders any error thrown by a page route as a page, with the status the JSON API would give. */
export function installPageErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | DomainError | Error, request, reply) => {
    const answer = answerFor(err, request);
    if (answer.headers) reply.headers(answer.headers);
    const options = request.routeOptions.config?.errorPage;
    if (options?.view) return sendPage(reply, options.view(answer, request), answer.status);
    const { t } = i18nFor(request.staff);
    const title = t(TITLES[answer.status] ?? (answer.status >= 500 ? 'error.internal' : 'error.generic'));
    const message =
      answer.status >= 500 && answer.status !== 503 ? t('error.internalMessage') : answer.message;
    const back = options?.back ? fillPath(options.back, request.params) : null;
    return sendPage(
      reply,
      page(
        { title, staff: request.staff ?? null },
        html`<h1>${title}</h1>
          <p class="error" id="${options?.id ?? PAGE_ERROR_ID}" data-error-code="${answer.code}">${message}</p>
          ${answer.status >= 500 ? html`<p class="muted">${t('error.requestId', { id: request.id })}</p>` : ''}
          ${back ? html`<p><a href="${back}" id="error-back">${t('error.home')}</a></p>` : ''}`,
      ),
      answer.status,
    );
  });
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
