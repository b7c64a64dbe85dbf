import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { isEmailAddress } from '../shared/email-address.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { districtExists, listDistricts, type DistrictRow } from './district.repo.js';
import { generateTemporaryPassword, hashPassword } from './password.js';
import { assertRole, type StaffPrincipal, type StaffRole } from './principal.js';
import { deleteSessionsOfUser } from './session.repo.js';
import {
  clearLockout,
  findStaffAccount,
  insertManagedStaffUser,
  listStaffAccounts,
  lockActiveAdmins,
  setStaffPassword,
  setStaffContact,
  updateStaffAccount,
  usernameTaken,
  type StaffAccountRow,
} from './staff-account.repo.js';

/** A staff account as the user-management pages and API show it. */
export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  districtId: string | null;
  districtName: string | null;
  active: boolean;
  /** `oidc`: signs in through the city's identity provider, which sets role, district and name */
  signIn: 'password' | 'oidc';
  mustChangePassword: boolean;
  failedLogins: number;
  /** ISO time the lock-out ends; null when the account is not locked */
  lockedUntil: string | null;
  createdAt: string;
  /** where alert notices reach the account */
  phone: string | null;
  email: string | null;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  role: StaffRole;
  districtId: string | null;
}

export interface StaffAccountChange {
  displayName?: string;
  role?: StaffRole;
  districtId?: string | null;
  active?: boolean;
}

function toAccount(row: StaffAccountRow): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    districtId: row.district_id,
    districtName: row.district_name,
    active: row.active,
    signIn: row.oidc ? 'oidc' : 'password',
    mustChangePassword: row.must_change_password,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    phone: row.phone,
    email: row.email,
  };
}

/**
 * The district an admin manages: an admin with a district manages that district's accounts, an admin without one
 * (a city admin) every account.
 */
function manageScope(admin: StaffPrincipal): string | null {
  assertRole(admin, ['admin']);
  return admin.districtId;
}

function assertInScope(admin: StaffPrincipal, districtId: string | null): void {
  const scope = manageScope(admin);
  if (scope !== null && districtId !== scope)
    throw new ForbiddenError('只能管理本区的账号 (you manage the accounts of your own district only)');
}

/** Admins manage staff accounts: create, change role, district and name, disable, reset a password, lift a lock-out. */
export class StaffAdminService {
  constructor(private readonly pool: Pool) {}

  async list(admin: StaffPrincipal): Promise<StaffAccount[]> {
    return (await listStaffAccounts(this.pool, manageScope(admin))).map(toAccount);
  }

  async get(admin: StaffPrincipal, id: string): Promise<StaffAccount> {
    const row = await findStaffAccount(this.pool, id);
    if (!row) throw new NotFoundError('staff account');
    assertInScope(admin, row.district_id);
    return toAccount(row);
  }

  /** The districts an admin may put accounts in. */
  districts(admin: StaffPrincipal): Promise<DistrictRow[]> {
    return listDistricts(this.pool, manageScope(admin));
  }

  /** A local account with a temporary password, shown once to the admin; the user replaces it at first sign-in. */
  async create(
    admin: StaffPrincipal,
    input: NewStaffAccount,
  ): Promise<{ account: StaffAccount; temporaryPassword: string }> {
    const displayName = input.displayName.trim();
    if (!displayName) throw new ValidationError('displayName: 姓名不能为空 (a name is required)');
    assertInScope(admin, input.districtId);
    await this.checkPlacement(this.pool, input.role, input.districtId);
    const temporaryPassword = generateTemporaryPassword();
    const passwordHash = await hashPassword(temporaryPassword);
    const account = await withTransaction(this.pool, async (tx) => {
      if (await usernameTaken(tx, input.username))
        throw new ConflictError(`用户名 ${input.username} 已被使用 (username taken)`);
      const id = await insertManagedStaffUser(tx, { ...input, displayName, passwordHash });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: admin.id,
        action: 'staff.create',
        subjectKind: 'staff_user',
        subjectId: id,
        districtId: input.districtId,
        data: { username: input.username, role: input.role, districtId: input.districtId },
      });
      return (await findStaffAccount(tx, id))!;
    });
    return { account: toAccount(account), temporaryPassword };
  }

  /**
   * Changes name, role, district or the account's switch. Disabling ends the account's sessions. Accounts of the
   * identity provider take role, district and name from its claims at every sign-in, so only the switch is
   * changed here. The last active admin can be neither disabled nor demoted, and the last active city admin not
   * moved into a district either.
   */
  async update(admin: StaffPrincipal, id: string, change: StaffAccountChange): Promise<StaffAccount> {
    const scope = manageScope(admin);
    const row = await withTransaction(this.pool, async (tx) => {
      const before = await findStaffAccount(tx, id, true);
      if (!before) throw new NotFoundError('staff account');
      assertInScope(admin, before.district_id);
      const after = {
        displayName: change.displayName !== undefined ? change.displayName.trim() : before.display_name,
        role: change.role ?? before.role,
        districtId: change.districtId !== undefined ? change.districtId : before.district_id,
        active: change.active ?? before.active,
      };
      if (!after.displayName) throw new ValidationError('displayName: 姓名不能为空 (a name is required)');
      const changes = diff(before, after);
      if (Object.keys(changes).length === 0) return before;
      if (before.oidc && Object.keys(changes).some((k) => k !== 'active'))
        throw new ConflictError(
          '此账号通过统一身份认证登录，角色、所属区和姓名由其每次登录时更新，此处只能启用或停用 ' +
            '(an identity-provider account takes role, district and name from the provider)',
        );
      if (scope !== null && after.districtId !== scope) assertInScope(admin, after.districtId);
      if ('role' in changes || 'districtId' in changes)
        await this.checkPlacement(tx, after.role, after.districtId);
      const wasAdmin = before.active && before.role === 'admin';
      const staysAdmin = after.active && after.role === 'admin';
      if (wasAdmin && !(staysAdmin && (after.districtId === null || before.district_id !== null))) {
        const others = (await lockActiveAdmins(tx)).filter((other) => other.id !== id);
        if (!staysAdmin && others.length === 0)
          throw new ConflictError(
            '这是唯一启用的管理员，不能停用或降级 (the last active admin must stay one)',
          );
        if (before.district_id === null && !others.some((other) => other.district_id === null))
          throw new ConflictError(
            '这是唯一启用的全市管理员，不能停用、降级或划入某区 (the last active city admin must stay one)',
          );
      }
      await updateStaffAccount(tx, id, after);
      const sessionsEnded = before.active && !after.active ? await deleteSessionsOfUser(tx, id) : 0;
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: admin.id,
        action: 'active' in changes ? (after.active ? 'staff.enable' : 'staff.disable') : 'staff.update',
        subjectKind: 'staff_user',
        subjectId: id,
        districtId: after.districtId ?? before.district_id,
        data: { username: before.username, changes, sessionsEnded },
      });
      return (await findStaffAccount(tx, id))!;
    });
    return toAccount(row);
  }

  /** The phone number and e-mail address alert notices go to; empty clears one. Audited. */
  async setContact(
    admin: StaffPrincipal,
    id: string,
    input: { phone: string; email: string },
  ): Promise<void> {
    const phone = input.phone.replace(/[\s-]/g, '') || null;
    const email = input.email.trim() || null;
    if (phone !== null && !/^\+?[0-9]{5,20}$/.test(phone))
      throw new ValidationError('phone: 手机号须为 5 至 20 位数字 (5 to 20 digits)');
    if (email !== null && !isEmailAddress(email))
      throw new ValidationError('email: 电子邮件地址无效 (not an e-mail address)');
    await withTransaction(this.pool, async (tx) => {
      const before = await findStaffAccount(tx, id, true);
      if (!before) throw new NotFoundError('staff account');
      assertInScope(admin, before.district_id);
      await setStaffContact(tx, id, { phone, email });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: admin.id,
        action: 'staff.contact_set',
        subjectKind: 'staff_user',
        subjectId: id,
        districtId: before.district_id,
        // whether each is set, not the numbers and addresses themselves
        data: { username: before.username, phone: phone !== null, email: email !== null },
      });
    });
  }

  /**
   * A new temporary password for a local account, shown once to the admin: the user must replace it at their next
   * sign-in. Its sessions end and a lock-out is lifted.
   */
  async resetPassword(admin: StaffPrincipal, id: string): Promise<{ temporaryPassword: string }> {
    const temporaryPassword = generateTemporaryPassword();
    const passwordHash = await hashPassword(temporaryPassword);
    await withTransaction(this.pool, async (tx) => {
      const account = await findStaffAccount(tx, id, true);
      if (!account) throw new NotFoundError('staff account');
      assertInScope(admin, account.district_id);
      if (account.oidc || !account.has_password)
        throw new ConflictError(
          '此账号通过统一身份认证登录，没有本系统的密码，无法重置 (an identity-provider account has no password here)',
        );
      await setStaffPassword(tx, id, passwordHash, true);
      const sessionsEnded = await deleteSessionsOfUser(tx, id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: admin.id,
        action: 'staff.password_reset',
        subjectKind: 'staff_user',
        subjectId: id,
        districtId: account.district_id,
        data: { username: account.username, sessionsEnded },
      });
    });
    return { temporaryPassword };
  }

  /** Ends a lock-out (and the count of wrong passwords); nothing is written when there is none. */
  async liftLockout(admin: StaffPrincipal, id: string): Promise<StaffAccount> {
    const row = await withTransaction(this.pool, async (tx) => {
      const account = await findStaffAccount(tx, id, true);
      if (!account) throw new NotFoundError('staff account');
      assertInScope(admin, account.district_id);
      if (account.locked_until === null && account.failed_logins === 0) return account;
      await clearLockout(tx, id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: admin.id,
        action: 'staff.lockout_lifted',
        subjectKind: 'staff_user',
        subjectId: id,
        districtId: account.district_id,
        data: {
          username: account.username,
          lockedUntil: account.locked_until?.toISOString() ?? null,
          failedLogins: account.failed_logins,
        },
      });
      return (await findStaffAccount(tx, id))!;
    });
    return toAccount(row);
  }

  /** Everyone but a city admin belongs to a district, and the district must exist. */
  private async checkPlacement(db: Queryable, role: StaffRole, districtId: string | null): Promise<void> {
    if (districtId === null) {
      if (role !== 'admin')
        throw new ValidationError('districtId: 除全市管理员外，账号必须属于一个区 (a district is required)');
      return;
    }
    if (!(await districtExists(db, districtId)))
      throw new ValidationError(`districtId: 没有此区 (no district ${JSON.stringify(districtId)})`);
  }
}

function diff(
  before: StaffAccountRow,
  after: { displayName: string; role: StaffRole; districtId: string | null; active: boolean },
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (before.display_name !== after.displayName)
    changes.displayName = { from: before.display_name, to: after.displayName };
  if (before.role !== after.role) changes.role = { from: before.role, to: after.role };
  if (before.district_id !== after.districtId)
    changes.districtId = { from: before.district_id, to: after.districtId };
  if (before.active !== after.active) changes.active = { from: before.active, to: after.active };
  return changes;
}
