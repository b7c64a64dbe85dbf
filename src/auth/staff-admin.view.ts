import { html, type SafeHtml } from '../web/html.js';
import { i18nFor, type StaffI18n } from '../web/i18n/index.js';
import { page } from '../web/layout.js';
import type { DistrictRow } from './district.repo.js';
import { STAFF_ROLES, type StaffPrincipal, type StaffRole } from './principal.js';
import type { StaffAccount } from './staff-admin.service.js';

export interface StaffUsersPage {
  users: StaffAccount[];
  /** the admin's own district, or null for a city admin */
  scope: { id: string; name: string } | null;
}

export interface StaffUserFormPage {
  districts: DistrictRow[];
  /** a city admin may make city admins (no district) */
  cityAdmin: boolean;
  csrfToken: string;
}

export interface StaffUserEditPage extends StaffUserFormPage {
  user: StaffAccount;
  /** the admin looks at their own account */
  self: boolean;
}

function districtLabel(u: Pick<StaffAccount, 'districtId' | 'districtName'>, { t }: StaffI18n): string {
  return u.districtId === null ? t('users.cityWide') : (u.districtName ?? u.districtId);
}

function statusBadges(u: StaffAccount, { t }: StaffI18n): SafeHtml {
  return html`${
    u.active
      ? html`<span class="status ok">${t('users.status.active')}</span>`
      : html`<span class="status bad">${t('users.status.disabled')}</span>`
  }
  ${u.lockedUntil ? html`<span class="status bad" data-locked="true">${t('users.status.locked')}</span>` : ''}
  ${u.mustChangePassword ? html`<span class="status warn">${t('users.status.mustChange')}</span>` : ''}`;
}

export function staffUsersView({ users, scope }: StaffUsersPage, staff: StaffPrincipal): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('users.title'), staff },
    html`<h1>${t('users.title')}</h1>
      <p class="muted">${scope === null ? t('users.scopeCity') : t('users.scopeDistrict', { district: scope.name })}</p>
      <p><a class="button" id="new-user" href="/staff/users/new">${t('users.new')}</a></p>
      <div class="table-wrap">
        <table id="staff-users">
          <thead>
            <tr>
              <th>${t('users.col.username')}</th>
              <th>${t('users.col.name')}</th>
              <th>${t('users.col.role')}</th>
              <th>${t('users.col.district')}</th>
              <th>${t('users.col.signIn')}</th>
              <th>${t('users.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            ${users.map(
              (u) =>
                html`<tr data-username="${u.username}">
                  <td><a href="/staff/users/${u.id}">${u.username}</a></td>
                  <td>${u.displayName}</td>
                  <td>${i18n.label('role', u.role)}</td>
                  <td>${districtLabel(u, i18n)}</td>
                  <td>${u.signIn === 'oidc' ? t('users.signIn.oidc') : t('users.signIn.password')}</td>
                  <td>${statusBadges(u, i18n)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
}

function roleOptions(selected: StaffRole | null, i18n: StaffI18n): SafeHtml[] {
  return STAFF_ROLES.map(
    (r) => html`<option value="${r}" ${r === selected ? 'selected' : ''}>${i18n.label('role', r)}</option>`,
  );
}

function districtOptions(
  districts: DistrictRow[],
  cityAdmin: boolean,
  selected: string | null,
  { t }: StaffI18n,
): SafeHtml {
  return html`${
    cityAdmin
      ? html`<option value="" ${selected === null ? 'selected' : ''}>${t('users.form.cityAdmin')}</option>`
      : ''
  }
  ${districts.map(
    (d) => html`<option value="${d.id}" ${d.id === selected ? 'selected' : ''}>${d.name}</option>`,
  )}`;
}

export function newStaffUserView(
  { districts, cityAdmin, csrfToken }: StaffUserFormPage,
  staff: StaffPrincipal,
): SafeHtml {
  const i18n = i18nFor(staff);
  const { t } = i18n;
  return page(
    { title: t('users.new'), staff, csrfToken, scripts: ['staff-users.js'] },
    html`<h1>${t('users.new')}</h1>
      <form id="user-create-form" class="card">
        <label for="username">${t('users.form.username')}</label>
        <input id="username" name="username" required maxlength="64" autocomplete="off" />
        <label for="displayName">${t('users.col.name')}</label>
        <input id="displayName" name="displayName" required maxlength="100" />
        <label for="role">${t('users.col.role')}</label>
        <select id="role" name="role">
          ${roleOptions('district_staff', i18n)}
        </select>
        <label for="districtId">${t('users.col.district')}</label>
        <select id="districtId" name="districtId">
          ${districtOptions(districts, cityAdmin, districts[0]?.id ?? null, i18n)}
        </select>
        <p class="muted">${t('users.form.temporaryHint')}</p>
        <p><button type="submit">${t('users.form.create')}</button></p>
        <p id="form-error" class="error" role="alert"></p>
      </form>
      <div id="created" class="card" hidden>
        <p>${t('users.created')}</p>
        <p><code id="temporary-password"></code></p>
        <p><a id="created-link" href="/staff/users">${t('users.created.view')}</a></p>
      </div>
      <p><a href="/staff/users">${t('users.backToList')}</a></p>`,
  );
}

function passwordCard(user: StaffAccount, { t }: StaffI18n): SafeHtml {
  if (user.signIn === 'oidc') return html`<p id="reset-not-applicable">${t('users.resetNotApplicable')}</p>`;
  return html`<p class="muted">${t('users.resetHint')}</p>
    <button type="button" id="reset-password" class="secondary" data-confirm="${t('users.resetConfirm')}">
      ${t('users.reset')}
    </button>
    <p id="reset-result" hidden>${t('users.resetResult')}<code id="temporary-password"></code></p>`;
}

function lockoutCard(user: StaffAccount, i18n: StaffI18n): SafeHtml {
  const { t } = i18n;
  if (user.lockedUntil)
    return html`<p id="lockout-state">${t('users.lockedUntil', { at: i18n.time(user.lockedUntil) })}</p>
      <button type="button" id="lift-lockout">${t('users.unlock')}</button>`;
  return html`<p id="lockout-state">
    ${user.failedLogins > 0 ? t('users.recentFailures', { count: user.failedLogins }) : t('users.notLocked')}
  </p>`;
}

export function editStaffUserView(p: StaffUserEditPage, staff: StaffPrincipal): SafeHtml {
  const { user } = p;
  const i18n = i18nFor(staff);
  const { t } = i18n;
  const oidc = user.signIn === 'oidc';
  const locked = oidc ? 'disabled' : '';
  const title = t('users.account.title', { username: user.username });
  return page(
    { title, staff, csrfToken: p.csrfToken, scripts: ['staff-users.js'] },
    html`<h1>${title}</h1>
      <div id="user-page" data-user-id="${user.id}">
        <p>${statusBadges(user, i18n)}</p>
        <p class="muted">
          ${t('users.account.createdAt', { at: i18n.time(user.createdAt, false) })} ·
          ${oidc ? t('users.account.viaOidc') : t('users.account.viaPassword')}${
            p.self ? ` · ${t('users.account.self')}` : ''
          }
        </p>
        <form id="user-edit-form" class="card">
          <h2>${t('users.section.basics')}</h2>
          ${oidc ? html`<p class="notice">${t('users.oidcManaged')}</p>` : ''}
          <label for="displayName">${t('users.col.name')}</label>
          <input id="displayName" name="displayName" required maxlength="100" value="${user.displayName}" ${locked} />
          <label for="role">${t('users.col.role')}</label>
          <select id="role" name="role" ${locked}>
            ${roleOptions(user.role, i18n)}
          </select>
          <label for="districtId">${t('users.col.district')}</label>
          <select id="districtId" name="districtId" ${locked}>
            ${districtOptions(p.districts, p.cityAdmin, user.districtId, i18n)}
          </select>
          ${oidc ? '' : html`<p><button type="submit">${t('common.save')}</button></p>`}
        </form>
        <div class="card">
          <h2>${t('users.section.active')}</h2>
          <p class="muted">${t('users.activeHint')}</p>
          <button
            type="button"
            id="toggle-active"
            class="${user.active ? 'danger' : ''}"
            data-active="${String(user.active)}"
            data-confirm="${t('users.disableConfirm')}"
          >
            ${user.active ? t('users.disable') : t('users.enable')}
          </button>
        </div>
        <form class="card" id="contact-form" method="post" action="/staff/users/${user.id}/contact">
          <input type="hidden" name="_csrf" value="${p.csrfToken}" />
          <label for="contact-phone">${t('alerts.contact.phone')}</label>
          <input id="contact-phone" name="phone" inputmode="tel" maxlength="30" value="${user.phone ?? ''}" />
          <label for="contact-email">${t('alerts.contact.email')}</label>
          <input id="contact-email" name="email" type="email" maxlength="254" value="${user.email ?? ''}" />
          <p><button type="submit" id="contact-save">${t('common.save')}</button></p>
        </form>
        <div class="card">
          <h2>${t('users.section.password')}</h2>
          ${passwordCard(user, i18n)}
        </div>
        <div class="card">
          <h2>${t('users.section.lockout')}</h2>
          ${lockoutCard(user, i18n)}
        </div>
        <p id="form-error" class="error" role="alert"></p>
        <p id="form-ok" class="notice" role="status" data-saved="${t('users.saved')}" hidden></p>
      </div>
      <p><a href="/staff/users">${t('users.backToList')}</a></p>`,
  );
}
