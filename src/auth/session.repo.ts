import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/pool.js';
import type { StaffPrincipal, StaffRole } from './principal.js';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export async function createSession(
  db: Queryable,
  userId: string,
  ttlMinutes: number,
  meta: { ip: string; userAgent: string },
): Promise<string> {
  const token = newSessionToken();
  await db.query(
    `insert into staff_sessions (token_hash, user_id, expires_at, ip, user_agent)
     values ($1, $2, now() + make_interval(mins => $3), $4, $5)`,
    [tokenHash(token), userId, ttlMinutes, meta.ip, meta.userAgent.slice(0, 300)],
  );
  return token;
}

interface SessionRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  district_id: string | null;
  district_name: string | null;
  lang: 'zh' | 'en';
  refresh: boolean;
}

/**
 * Looks a session up and slides its expiry (at most once a minute, to spare writes). Disabled users and expired
 * sessions find nothing.
 */
export async function findSessionPrincipal(
  db: Queryable,
  token: string,
  ttlMinutes: number,
): Promise<StaffPrincipal | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const hash = tokenHash(token);
  const { rows } = await db.query<SessionRow>(
    `select u.id, u.username, u.display_name, u.role, u.district_id, d.name as district_name, u.lang,
            s.last_seen_at < now() - interval '1 minute' as refresh
       from staff_sessions s join staff_users u on u.id = s.user_id
       left join districts d on d.id = u.district_id
      where s.token_hash = $1 and s.expires_at > now() and u.active`,
    [hash],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.refresh) {
    await db.query(
      `update staff_sessions set last_seen_at = now(), expires_at = now() + make_interval(mins => $2)
        where token_hash = $1`,
      [hash, ttlMinutes],
    );
  }
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    districtId: row.district_id,
    districtName: row.district_name,
    lang: row.lang,
  };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from staff_sessions where token_hash = $1', [tokenHash(token)]);
}

export async function deleteExpiredSessions(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('delete from staff_sessions where expires_at < now()');
  return rowCount ?? 0;
}

/** Ends every session of an account (disabled, or its password reset); returns how many there were. */
export async function deleteSessionsOfUser(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query('delete from staff_sessions where user_id = $1', [userId]);
  return rowCount ?? 0;
}
