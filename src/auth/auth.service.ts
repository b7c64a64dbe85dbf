import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { DomainError, TooManyRequestsError, UnauthorizedError, ValidationError } from '../shared/errors.js';
import { DUMMY_HASH_PROMISE, hashPassword, passwordPolicyProblem, verifyPassword } from './password.js';
import type { StaffPrincipal } from './principal.js';
import { createSession, deleteSession, findSessionPrincipal } from './session.repo.js';
import { clearFailedLogins, recordFailedLogin, setStaffPassword } from './staff-account.repo.js';
import { findStaffByUsername, setStaffLang, type StaffUserRow } from './staff-user.repo.js';

export interface AuthService {
  login(
    username: string,
    password: string,
    meta: { ip: string; userAgent: string },
  ): Promise<{ token: string; principal: StaffPrincipal }>;
  /**
   * A user replaces their password, proving the current one (the step after an admin created the account or
   * reset its password), and is signed in.
   */
  changePassword(
    username: string,
    currentPassword: string,
    newPassword: string,
    meta: { ip: string; userAgent: string },
  ): Promise<{ token: string; principal: StaffPrincipal }>;
  logout(token: string, principal: StaffPrincipal | null): Promise<void>;
  principalFor(token: string): Promise<StaffPrincipal | null>;
  /** Remembers the language of the staff pages for this member of staff. */
  setLang(principal: StaffPrincipal, lang: 'zh' | 'en'): Promise<void>;
}

/** How many wrong passwords in a row lock an account, and for how long. */
export interface LockoutPolicy {
  maxFailures: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 10, lockMinutes: 15 };

/** The answer to a correct password the user must first replace: the sign-in page then asks for a new one. */
export class PasswordChangeRequiredError extends DomainError {
  constructor() {
    super(
      403,
      'password_change_required',
      '管理员设置的密码需要更换：请设置新密码后登录 (set a new password to sign in)',
    );
  }
}

function lockedError(seconds: number): TooManyRequestsError {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return new TooManyRequestsError(
    `账号因多次密码错误已被锁定，请在 ${minutes} 分钟后再试，或请管理员解除锁定 ` +
      `(account locked after repeated wrong passwords; try again in ${minutes} min or ask an admin)`,
  );
}

export function createAuthService(
  pool: Pool,
  sessionTtlMinutes: number,
  lockout: LockoutPolicy = DEFAULT_LOCKOUT,
): AuthService {
  /** The account whose password this is, or the error to answer; wrong passwords count towards a lock-out. */
  async function checkCredentials(
    username: string,
    password: string,
    meta: { ip: string },
  ): Promise<StaffUserRow> {
    const user = await findStaffByUsername(pool, username);
    if (user && user.active && user.locked_for_s > 0) {
      await withTransaction(pool, (tx) =>
        appendAudit(tx, {
          actorKind: 'system',
          action: 'staff.login_failed',
          subjectKind: 'staff_user',
          subjectId: user.id,
          districtId: user.district_id,
          data: { username: username.slice(0, 64), ip: meta.ip, reason: 'locked' },
        }),
      );
      throw lockedError(user.locked_for_s);
    }
    // Same work whether or not the user exists, so timing does not reveal valid usernames.
    const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (!user || !ok || !user.active) {
      const lockedFor = await withTransaction(pool, async (tx) => {
        const counts = user !== null && user.active && user.password_hash !== null;
        const locked = counts
          ? await recordFailedLogin(tx, user.id, lockout.maxFailures, lockout.lockMinutes)
          : 0;
        await appendAudit(tx, {
          actorKind: 'system',
          action: 'staff.login_failed',
          subjectKind: 'staff_user',
          subjectId: user?.id ?? null,
          data: { username: username.slice(0, 64), ip: meta.ip },
        });
        if (locked > 0) {
          await appendAudit(tx, {
            actorKind: 'system',
            action: 'staff.locked_out',
            subjectKind: 'staff_user',
            subjectId: user!.id,
            districtId: user!.district_id,
            data: { minutes: lockout.lockMinutes, ip: meta.ip },
          });
        }
        return locked;
      });
      if (lockedFor > 0) throw lockedError(lockedFor);
      throw new UnauthorizedError('用户名或密码错误 (wrong username or password)');
    }
    return user;
  }

  async function startSession(
    user: StaffUserRow,
    meta: { ip: string; userAgent: string },
    action: 'staff.login' | 'staff.password_changed',
    newPassword?: string,
  ): Promise<{ token: string; principal: StaffPrincipal }> {
    const principal: StaffPrincipal = {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      districtId: user.district_id,
    };
    const hash = newPassword !== undefined ? await hashPassword(newPassword) : null;
    const token = await withTransaction(pool, async (tx) => {
      if (hash !== null) await setStaffPassword(tx, user.id, hash, false);
      else await clearFailedLogins(tx, user.id);
      const t = await createSession(tx, user.id, sessionTtlMinutes, meta);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: user.id,
        action,
        subjectKind: 'staff_user',
        subjectId: user.id,
        districtId: user.district_id,
        data: { ip: meta.ip },
      });
      return t;
    });
    return { token, principal };
  }

  return {
    async login(username, password, meta) {
      const user = await checkCredentials(username, password, meta);
      if (user.must_change_password) throw new PasswordChangeRequiredError();
      return startSession(user, meta, 'staff.login');
    },

    async changePassword(username, currentPassword, newPassword, meta) {
      const problem = passwordPolicyProblem(newPassword);
      if (problem) throw new ValidationError(problem);
      if (newPassword === currentPassword)
        throw new ValidationError(
          '新密码不能与当前密码相同 (the new password must differ from the current one)',
        );
      const user = await checkCredentials(username, currentPassword, meta);
      return startSession(user, meta, 'staff.password_changed', newPassword);
    },

    async logout(token, principal) {
      await withTransaction(pool, async (tx) => {
        await deleteSession(tx, token);
        if (principal) {
          await appendAudit(tx, {
            actorKind: 'staff',
            actorId: principal.id,
            action: 'staff.logout',
            subjectKind: 'staff_user',
            subjectId: principal.id,
            districtId: principal.districtId,
          });
        }
      });
    },

    async setLang(principal, lang) {
      await withTransaction(pool, async (tx) => {
        await setStaffLang(tx, principal.id, lang);
        await appendAudit(tx, {
          actorKind: 'staff',
          actorId: principal.id,
          action: 'staff.lang_set',
          subjectKind: 'staff_user',
          subjectId: principal.id,
          districtId: principal.districtId,
          data: { lang },
        });
      });
    },

    principalFor(token) {
      return findSessionPrincipal(pool, token, sessionTtlMinutes);
    },
  };
}
