import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { UnauthorizedError } from '../shared/errors.js';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password.js';
import type { StaffPrincipal } from './principal.js';
import { createSession, deleteSession, findSessionPrincipal } from './session.repo.js';
import { findStaffByUsername, setStaffLang } from './staff-user.repo.js';

export interface AuthService {
  login(
    username: string,
    password: string,
    meta: { ip: string; userAgent: string },
  ): Promise<{ token: string; principal: StaffPrincipal }>;
  logout(token: string, principal: StaffPrincipal | null): Promise<void>;
  principalFor(token: string): Promise<StaffPrincipal | null>;
  /** Remembers the language of the staff pages for this member of staff. */
  setLang(principal: StaffPrincipal, lang: 'zh' | 'en'): Promise<void>;
}

export function createAuthService(pool: Pool, sessionTtlMinutes: number): AuthService {
  return {
    async login(username, password, meta) {
      const user = await findStaffByUsername(pool, username);
      // Same work whether or not the user exists, so timing does not reveal valid usernames.
      const ok = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
      if (!user || !ok || !user.active) {
        await withTransaction(pool, (tx) =>
          appendAudit(tx, {
            actorKind: 'system',
            action: 'staff.login_failed',
            subjectKind: 'staff_user',
            subjectId: user?.id ?? null,
            data: { username: username.slice(0, 64), ip: meta.ip },
          }),
        );
        throw new UnauthorizedError('wrong username or password');
      }
      const principal: StaffPrincipal = {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        districtId: user.district_id,
      };
      const token = await withTransaction(pool, async (tx) => {
        const t = await createSession(tx, user.id, sessionTtlMinutes, meta);
        await appendAudit(tx, {
          actorKind: 'staff',
          actorId: user.id,
          action: 'staff.login',
          subjectKind: 'staff_user',
          subjectId: user.id,
          districtId: user.district_id,
          data: { ip: meta.ip },
        });
        return t;
      });
      return { token, principal };
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
