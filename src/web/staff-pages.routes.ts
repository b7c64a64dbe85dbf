import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StaffPrincipal, StaffRole } from '../auth/principal.js';
import type { CameraService } from '../cameras/camera.service.js';
import { listZones } from '../cameras/zone.repo.js';
import { listCameraHealth } from '../cameras/camera-health.repo.js';
import { listParties } from '../parties/party.repo.js';
import type { AppDeps } from '../app/deps.js';
import { DomainError } from '../shared/errors.js';
import { html, jsonForScript } from './html.js';
import { page, sendPage } from './layout.js';
import { formatShanghai } from './time-format.js';

/** Signed-in staff with one of the roles, or a redirect to the sign-in page / a 403 page. */
function pageGuard(roles: StaffRole[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!request.staff) {
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    }
    if (roles.length && !roles.includes(request.staff.role)) {
      return sendPage(
        reply,
        page(
          { title: 'Not allowed', staff: request.staff },
          html`<h1>Not allowed</h1>
            <p>Your role cannot open this page.</p>`,
        ),
        403,
      );
    }
  };
}

/** The page to return to after signing in, passed on to the identity provider's flow (checked there again). */
function safeNextParam(query: unknown): string {
  const next = (query as { next?: unknown } | undefined)?.next;
  return encodeURIComponent(typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/staff');
}

function healthBadge(status: string | undefined) {
  return html`<span class="status ${status ?? 'offline'}">${status ?? 'no frames yet'}</span>`;
}

export async function staffPageRoutes(
  app: FastifyInstance,
  deps: AppDeps & { cameras: CameraService },
): Promise<void> {
  const { cameras } = deps;
  const editors: StaffRole[] = ['admin', 'district_staff'];

  app.get('/', async (_request, reply) => reply.redirect('/staff'));

  app.get('/login', { schema: { hide: true } }, async (request, reply) =>
    sendPage(
      reply,
      page(
        { title: 'Sign in', csrfToken: reply.generateCsrf(), scripts: ['login.js'] },
        html`<div class="card login">
          <h1>Staff sign-in</h1>
          <form id="login-form">
            <label for="username">Username</label
            ><input id="username" name="username" autocomplete="username" required />
            <label for="password">Password</label
            ><input id="password" name="password" type="password" autocomplete="current-password" required />
            <p><button type="submit">Sign in</button></p>
            <p id="login-error" class="error" role="alert"></p>
          </form>
          ${
            deps.config.oidcIssuer
              ? html`<p>
                <a id="oidc-login" href="/auth/oidc/login?next=${safeNextParam(request.query)}"
                  >使用统一身份认证登录 Sign in with the city's identity provider</a
                >
              </p>`
              : ''
          }
        </div>`,
      ),
    ),
  );

  app.get('/staff', { schema: { hide: true }, preHandler: pageGuard([]) }, async (request, reply) => {
    const role = (request.staff as StaffPrincipal).role;
    return reply.redirect(
      role === 'evidence_reviewer' || role === 'legal_reviewer'
        ? '/review'
        : role === 'agency_head'
          ? '/staff/cases'
          : '/staff/cameras',
    );
  });

  app.get(
    '/staff/cameras',
    { schema: { hide: true }, preHandler: pageGuard(editors) },
    async (request, reply) => {
      const staff = request.staff as StaffPrincipal;
      const list = await cameras.list(staff, { limit: 500 });
      const health = await listCameraHealth(
        deps.pool,
        list.map((c) => c.id),
      );
      return sendPage(
        reply,
        page(
          { title: 'Cameras', staff, csrfToken: reply.generateCsrf() },
          html`<h1>Cameras</h1>
            <p><a class="button" href="/staff/cameras/new">Add a camera</a></p>
            <table id="camera-list">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>District</th>
                  <th>Source</th>
                  <th>Health</th>
                  <th>Last frame</th>
                  <th>Frames/min · total / drops</th>
                  <th>Evidence</th>
                  <th>False positives</th>
                </tr>
              </thead>
              <tbody>
                ${list.map((c) => {
                  const h = health.get(c.id);
                  return html`<tr data-camera-id="${c.id}">
                    <td>
                      <a href="/staff/cameras/${c.id}">${c.name}</a>
                      <div class="muted">${c.address}</div>
                    </td>
                    <td>${c.districtId}</td>
                    <td>${(c.source as { kind: string }).kind}${c.enabled ? '' : ' (disabled)'}</td>
                    <td>
                      ${healthBadge(h?.status)}${h?.lastError ? html`<div class="error">${h.lastError}</div>` : ''}
                    </td>
                    <td>
                      ${formatShanghai(h?.lastFrameAt)}
                    </td>
                    <td>${h ? `${h.framesLastMinute} · ${h.framesTotal} / ${h.dropsTotal}` : '—'}</td>
                    <td>
                      ${c.evidence.eligible ? html`<span class="status ok">eligible</span>` : html`<span class="status warn" title="${c.evidence.reasons.join('; ')}">not eligible</span>`}
                    </td>
                    <td>
                      ${h?.falsePositiveRate == null ? '—' : `${Math.round(h.falsePositiveRate * 100)} % of ${h.reviewed}`}
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`,
        ),
      );
    },
  );

  app.get(
    '/staff/cameras/new',
    { schema: { hide: true }, preHandler: pageGuard(editors) },
    async (request, reply) =>
      sendPage(
        reply,
        page(
          {
            title: 'Add a camera',
            staff: request.staff,
            csrfToken: reply.generateCsrf(),
            scripts: ['camera-form.js'],
          },
          html`<h1>Add a camera</h1>
            <form id="camera-form" class="card">
              <div class="grid2">
                <div>
                  <label for="name">Name</label><input id="name" name="name" required maxlength="200" />
                </div>
                <div>
                  <label for="address">Address</label><input id="address" name="address" maxlength="500" />
                </div>
                <div>
                  <label for="latitude">Latitude</label
                  ><input id="latitude" name="latitude" type="number" step="any" />
                </div>
                <div>
                  <label for="longitude">Longitude</label
                  ><input id="longitude" name="longitude" type="number" step="any" />
                </div>
                <div>
                  <label for="kind">Source</label>
                  <select id="kind" name="kind">
                    <option value="snapshot">HTTP(S) snapshot URL</option>
                    <option value="stream">RTSP or HTTP(S) video stream</option>
                    <option value="file">Local video file</option>
                    <option value="folder">Watched image folder</option>
                  </select>
                </div>
                <div>
                  <label for="location">URL or path</label
                  ><input id="location" name="location" required maxlength="2048" />
                </div>
                <div>
                  <label for="interval">Seconds between frames</label
                  ><input id="interval" name="interval" type="number" min="1" max="3600" value="5" />
                </div>
              </div>
              <p><button type="submit">Save camera</button></p>
              <p id="form-error" class="error" role="alert"></p>
            </form>`,
        ),
      ),
  );

  app.get(
    '/staff/cameras/:id',
    { schema: { hide: true }, preHandler: pageGuard(editors) },
    async (request, reply) => {
      const staff = request.staff as StaffPrincipal;
      let row;
      try {
        row = await cameras.get(staff, (request.params as { id: string }).id);
      } catch (err) {
        if (err instanceof DomainError) {
          return sendPage(
            reply,
            page(
              { title: 'Camera', staff },
              html`<h1>Camera</h1>
                <p class="error">${err.message}</p>`,
            ),
            err.statusCode,
          );
        }
        throw err;
      }
      const view = (await cameras.list(staff, { limit: 500 })).find((c) => c.id === row.id)!;
      const zones = await listZones(deps.pool, row.id);
      const parties = await listParties(deps.pool, row.district_id, { limit: 500 });
      const health = (await listCameraHealth(deps.pool, [row.id])).get(row.id);
      return sendPage(
        reply,
        page(
          { title: row.name, staff, csrfToken: reply.generateCsrf(), scripts: ['camera-page.js'] },
          html`<h1>${row.name} <span class="muted">v${row.version}</span></h1>
            <div class="grid2">
              <section class="card">
                <h2>Live frame and zones</h2>
                <div class="toolbar">
                  <button type="button" id="grab" class="secondary">Take a frame now</button>
                  <span id="frame-info" class="muted"></span>
                </div>
                <div class="editor" id="editor">
                  <img id="frame" alt="latest frame" /><canvas id="overlay"></canvas>
                </div>
                <div class="toolbar">
                  <div>
                    <label for="zone-name">Zone name</label
                    ><input id="zone-name" maxlength="100" placeholder="e.g. Market gate" />
                  </div>
                  <div>
                    <label for="zone-kind">Kind</label
                    ><select id="zone-kind">
                      <option value="no_stall">No-stall zone</option>
                      <option value="shop_front">Shop front</option>
                      <option value="dumping_spot">Dumping spot</option>
                      <option value="ignore">Ignore mask</option>
                    </select>
                  </div>
                  <div>
                    <label for="zone-dwell">Dwell (s)</label
                    ><input id="zone-dwell" type="number" min="0" max="86400" placeholder="default" />
                  </div>
                  <div id="party-field" hidden>
                    <label for="zone-party">Shop</label
                    ><select id="zone-party">
                      ${parties.map((p) => html`<option value="${p.id}">${p.name}</option>`)}
                    </select>
                  </div>
                </div>
                <p class="muted">
                  Click to add points; <kbd>Enter</kbd> or double-click closes the polygon; for a shop front,
                  then click the door line (2+ points) and press <kbd>Enter</kbd>. <kbd>Esc</kbd> cancels.
                </p>
                <ul class="plain" id="zone-list"></ul>
                <p>
                  <button type="button" id="save-zones">Save zones</button>
                  <span id="zones-status" class="muted" role="status"></span>
                </p>
                <p id="zones-error" class="error" role="alert"></p>
              </section>
              <section class="card">
                <h2>Status</h2>
                <p>
                  Health: ${healthBadge(health?.status)}
                  ${health?.lastFrameAt ? html`<span class="muted">last frame ${formatShanghai(health.lastFrameAt)}</span>` : ''}
                </p>
                ${health?.lastError ? html`<p class="error">Last error: ${health.lastError}</p>` : ''}
                <p>
                  Evidence:
                  ${view.evidence.eligible ? html`<span class="status ok">eligible</span>` : html`<span class="status warn">not eligible</span>`}
                </p>
                ${
                  view.evidence.reasons.length
                    ? html`<ul id="eligibility-reasons">
                        ${view.evidence.reasons.map((r) => html`<li>${r}</li>`)}
                      </ul>`
                    : ''
                }
                <h2>Device register</h2>
                <table>
                  <tr>
                    <th>Certificate</th>
                    <td>${row.certificate_id ?? '—'}</td>
                  </tr>
                  <tr>
                    <th>Legal review</th>
                    <td>${row.legal_review_date ?? '—'} ${row.legal_reviewer ?? ''}</td>
                  </tr>
                  <tr>
                    <th>Technical review</th>
                    <td>${row.technical_review_date ?? '—'} ${row.technical_reviewer ?? ''}</td>
                  </tr>
                  <tr>
                    <th>Published</th>
                    <td>${row.published ? 'yes' : 'no'}</td>
                  </tr>
                  <tr>
                    <th>Source</th>
                    <td>${(row.source as { kind: string }).kind}</td>
                  </tr>
                  <tr>
                    <th>Interval</th>
                    <td>${row.sample_interval_s} s</td>
                  </tr>
                </table>
              </section>
            </div>
            <script type="application/json" id="camera-data">
              ${jsonForScript({ camera: { id: row.id, version: row.version }, zones })}
            </script>`,
        ),
      );
    },
  );
}
