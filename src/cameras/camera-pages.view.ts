import type { StaffPrincipal } from '../auth/principal.js';
import { html, jsonForScript, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import type { CameraDetailPage, CameraListPage } from './camera-pages.service.js';

/** The staff camera pages: the list with health, the form to add one, and one camera's zone editor. */

/** What every camera page needs besides its data: who is signed in and the form token. */
export interface CameraPageContext {
  staff: StaffPrincipal;
  csrfToken: string;
}

function healthBadge(status: string | undefined): SafeHtml {
  return html`<span class="status ${status ?? 'offline'}">${status ?? 'no frames yet'}</span>`;
}

export function cameraListView(
  { cameras }: CameraListPage,
  { staff, csrfToken }: CameraPageContext,
): SafeHtml {
  return page(
    { title: 'Cameras', staff, csrfToken },
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
                ${cameras.map(
                  ({ camera: c, sourceKind, health: h }) => html`<tr data-camera-id="${c.id}">
                    <td>
                      <a href="/staff/cameras/${c.id}">${c.name}</a>
                      <div class="muted">${c.address}</div>
                    </td>
                    <td>${c.districtId}</td>
                    <td>${sourceKind}${c.enabled ? '' : ' (disabled)'}</td>
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
                  </tr>`,
                )}
              </tbody>
            </table>`,
  );
}

export function newCameraView({ staff, csrfToken }: CameraPageContext): SafeHtml {
  return page(
    { title: 'Add a camera', staff, csrfToken, scripts: ['camera-form.js'] },
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
  );
}

/** The camera's live frame and zone editor (camera-page.js), its health, eligibility and device register entry. */
export function cameraDetailView(
  { row, view, sourceKind, health, zones, parties }: CameraDetailPage,
  { staff, csrfToken }: CameraPageContext,
): SafeHtml {
  return page(
    { title: row.name, staff, csrfToken, scripts: ['camera-page.js'] },
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
                    <td>${sourceKind}</td>
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
  );
}
