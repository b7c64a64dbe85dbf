import { html, type SafeHtml } from '../web/html.js';
import { page } from '../web/layout.js';
import { formatShanghai } from '../web/time-format.js';
import type { DistrictRow } from './district.repo.js';
import { STAFF_ROLES, type StaffPrincipal, type StaffRole } from './principal.js';
import type { StaffAccount } from './staff-admin.service.js';

/** The staff's words for each role. */
export const ROLE_LABELS_ZH: Record<StaffRole, string> = {
  admin: '系统管理员',
  district_staff: '区执法人员',
  evidence_reviewer: '证据审核员',
  legal_reviewer: '法制审核员',
  agency_head: '机关负责人',
};

export interface StaffUsersPage {
  users: StaffAccount[];
  /** the admin's own district, or null for a city admin */
  scope: string | null;
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

function districtLabel(u: Pick<StaffAccount, 'districtId' | 'districtName'>): string {
  return u.districtId === null ? '全市' : (u.districtName ?? u.districtId);
}

function statusBadges(u: StaffAccount): SafeHtml {
  return html`${
    u.active ? html`<span class="status ok">启用</span>` : html`<span class="status bad">已停用</span>`
  }
  ${u.lockedUntil ? html`<span class="status bad" data-locked="true">已锁定</span>` : ''}
  ${u.mustChangePassword ? html`<span class="status warn">待设新密码</span>` : ''}`;
}

export function staffUsersView({ users, scope }: StaffUsersPage, staff: StaffPrincipal): SafeHtml {
  return page(
    { title: '用户管理', staff, lang: 'zh-CN' },
    html`<h1>用户管理</h1>
      <p class="muted">${scope === null ? '全市所有账号' : `本区（${scope}）账号`}</p>
      <p><a class="button" id="new-user" href="/staff/users/new">新建账号</a></p>
      <div class="table-scroll">
        <table id="staff-users">
          <thead>
            <tr>
              <th>用户名</th>
              <th>姓名</th>
              <th>角色</th>
              <th>所属区</th>
              <th>登录方式</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            ${users.map(
              (u) =>
                html`<tr data-username="${u.username}">
                  <td><a href="/staff/users/${u.id}">${u.username}</a></td>
                  <td>${u.displayName}</td>
                  <td>${ROLE_LABELS_ZH[u.role]}</td>
                  <td>${districtLabel(u)}</td>
                  <td>${u.signIn === 'oidc' ? '统一身份认证' : '本系统密码'}</td>
                  <td>${statusBadges(u)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`,
  );
}

function roleOptions(selected: StaffRole | null): SafeHtml[] {
  return STAFF_ROLES.map(
    (r) => html`<option value="${r}" ${r === selected ? 'selected' : ''}>${ROLE_LABELS_ZH[r]}</option>`,
  );
}

function districtOptions(districts: DistrictRow[], cityAdmin: boolean, selected: string | null): SafeHtml {
  return html`${
    cityAdmin
      ? html`<option value="" ${selected === null ? 'selected' : ''}>全市（仅系统管理员）</option>`
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
  return page(
    { title: '新建账号', staff, csrfToken, scripts: ['staff-users.js'], lang: 'zh-CN' },
    html`<h1>新建账号</h1>
      <form id="user-create-form" class="card">
        <label for="username">用户名（3-64 位字母、数字或 _ . -）</label>
        <input id="username" name="username" required maxlength="64" autocomplete="off" />
        <label for="displayName">姓名</label>
        <input id="displayName" name="displayName" required maxlength="100" />
        <label for="role">角色</label>
        <select id="role" name="role">
          ${roleOptions('district_staff')}
        </select>
        <label for="districtId">所属区</label>
        <select id="districtId" name="districtId">
          ${districtOptions(districts, cityAdmin, districts[0]?.id ?? null)}
        </select>
        <p class="muted">系统生成一次性临时密码，只显示一次；用户首次登录时必须设置自己的新密码。</p>
        <p><button type="submit">创建</button></p>
        <p id="form-error" class="error" role="alert"></p>
      </form>
      <div id="created" class="card" hidden>
        <p>账号已创建。请将临时密码交给用户本人：</p>
        <p><code id="temporary-password"></code></p>
        <p><a id="created-link" href="/staff/users">查看账号</a></p>
      </div>
      <p><a href="/staff/users">返回用户列表</a></p>`,
  );
}

export function editStaffUserView(p: StaffUserEditPage, staff: StaffPrincipal): SafeHtml {
  const { user } = p;
  const oidc = user.signIn === 'oidc';
  return page(
    {
      title: `账号 ${user.username}`,
      staff,
      csrfToken: p.csrfToken,
      scripts: ['staff-users.js'],
      lang: 'zh-CN',
    },
    html`<h1>账号 ${user.username}</h1>
      <div id="user-page" data-user-id="${user.id}">
        <p>${statusBadges(user)}</p>
        <p class="muted">
          创建于 ${formatShanghai(user.createdAt, false)} ·
          ${oidc ? '通过统一身份认证登录' : '使用本系统密码登录'}${p.self ? ' · 这是您自己的账号' : ''}
        </p>
        <form id="user-edit-form" class="card">
          <h2>基本信息</h2>
          ${
            oidc
              ? html`<p class="notice">
                此账号的姓名、角色和所属区由统一身份认证在每次登录时更新，不能在此修改。
              </p>`
              : ''
          }
          <label for="displayName">姓名</label>
          <input id="displayName" name="displayName" required maxlength="100" value="${user.displayName}"
            ${oidc ? 'disabled' : ''} />
          <label for="role">角色</label>
          <select id="role" name="role" ${oidc ? 'disabled' : ''}>
            ${roleOptions(user.role)}
          </select>
          <label for="districtId">所属区</label>
          <select id="districtId" name="districtId" ${oidc ? 'disabled' : ''}>
            ${districtOptions(p.districts, p.cityAdmin, user.districtId)}
          </select>
          ${oidc ? '' : html`<p><button type="submit">保存</button></p>`}
        </form>
        <div class="card">
          <h2>启用与停用</h2>
          <p class="muted">停用后该账号立即退出所有登录，不能再登录；启用后可再次登录。</p>
          <button type="button" id="toggle-active" class="${user.active ? 'danger' : ''}"
            data-active="${String(user.active)}">${user.active ? '停用账号' : '启用账号'}</button>
        </div>
        <div class="card">
          <h2>密码</h2>
          ${
            oidc
              ? html`<p id="reset-not-applicable">
                此账号通过统一身份认证登录，没有本系统的密码，无需也无法重置；请在统一身份认证平台处理。
              </p>`
              : html`<p class="muted">重置后生成一次性临时密码，该账号退出所有登录；用户下次登录时必须设置新密码。</p>
                <button type="button" id="reset-password" class="secondary">重置密码</button>
                <p id="reset-result" hidden>临时密码（只显示一次）：<code id="temporary-password"></code></p>`
          }
        </div>
        <div class="card">
          <h2>登录锁定</h2>
          ${
            user.lockedUntil
              ? html`<p id="lockout-state">
                  连续多次密码错误，账号已锁定至 ${formatShanghai(user.lockedUntil)}（北京时间）。
                </p>
                <button type="button" id="lift-lockout">解除锁定</button>`
              : html`<p id="lockout-state">
                未锁定${user.failedLogins > 0 ? `（最近连续 ${user.failedLogins} 次密码错误）` : ''}。
              </p>`
          }
        </div>
        <p id="form-error" class="error" role="alert"></p>
        <p id="form-ok" class="notice" role="status" hidden></p>
      </div>
      <p><a href="/staff/users">返回用户列表</a></p>`,
  );
}
