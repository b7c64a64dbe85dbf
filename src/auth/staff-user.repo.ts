import type { Queryable } from '../db/pool.js';
import type { StaffRole } from './principal.js';

export interface StaffUserRow {
  id: string;
  username: string;
  display_name: string;
  /** null for accounts that sign in only through the identity provider */
  password_hash: string | null;
  role: StaffRole;
  district_id: string | null;
  active: boolean;
  /** the password was set by an admin: the user must choose their own before a session is given */
  must_change_password: boolean;
  /** whole seconds the account stays locked after repeated wrong passwords; 0 when it is not locked */
  locked_for_s: number;
}

export async function findStaffByUsername(db: Queryable, username: string): Promise<StaffUserRow | null> {
  const { rows } = await db.query<StaffUserRow>(
    `select id, username, display_name, password_hash, role, district_id, active, must_change_password,
            greatest(0, ceil(extract(epoch from (locked_until - now()))))::int as locked_for_s
       from staff_users where username = $1`,
    [username],
  );
  const row = rows[0];
  return row ? { ...row, locked_for_s: row.locked_for_s ?? 0 } : null;
}

export async function insertStaffUser(
  db: Queryable,
  user: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: StaffRole;
    districtId: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into staff_users (username, display_name, password_hash, role, district_id)
     values ($1, $2, $3, $4, $5) returning id`,
    [user.username, user.displayName, user.passwordHash, user.role, user.districtId],
  );
  return rows[0]!.id;
}

/** A local account by username, made or given this password and switched on again (for seeded accounts). */
export async function upsertStaffUser(
  db: Queryable,
  user: {
    username: string;
    displayName: string;
    passwordHash: string;
    role: StaffRole;
    districtId: string | null;
  },
): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into staff_users (username, display_name, password_hash, role, district_id) values ($1, $2, $3, $4, $5)
     on conflict (username) do update set password_hash = excluded.password_hash, active = true
     returning id`,
    [user.username, user.displayName, user.passwordHash, user.role, user.districtId],
  );
  return rows[0]!.id;
}

export interface OidcStaffRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  district_id: string | null;
  active: boolean;
}

/**
 * The account of a provider's subject, made on first sign-in and brought in line with the claims on every later
 * one. `active` is the bureau's own switch and is never changed here: a disabled account stays disabled.
 */
export async function upsertOidcStaffUser(
  db: Queryable,
  user: {
    issuer: string;
    subject: string;
    username: string;
    displayName: string;
    role: StaffRole;
    districtId: string | null;
  },
): Promise<{ row: OidcStaffRow; previous: { role: StaffRole; district_id: string | null } | null }> {
  const before = await db.query<{ role: StaffRole; district_id: string | null }>(
    'select role, district_id from staff_users where oidc_issuer = $1 and oidc_subject = $2 for update',
    [user.issuer, user.subject],
  );
  const { rows } = await db.query<OidcStaffRow>(
    `insert into staff_users (username, display_name, password_hash, role, district_id, oidc_issuer, oidc_subject)
     values ($1, $2, null, $3, $4, $5, $6)
     on conflict (oidc_issuer, oidc_subject) do update
       set display_name = excluded.display_name, role = excluded.role, district_id = excluded.district_id
     returning id, username, display_name, role, district_id, active`,
    [user.username, user.displayName, user.role, user.districtId, user.issuer, user.subject],
  );
  return { row: rows[0]!, previous: before.rows[0] ?? null };
}

/** The language this member of staff reads the staff pages in. */
export async function setStaffLang(db: Queryable, id: string, lang: 'zh' | 'en'): Promise<void> {
  await db.query('update staff_users set lang = $2 where id = $1', [id, lang]);
}
