import type { Queryable } from '../db/pool.js';
import type { StaffRole } from './principal.js';

/** A staff account as admins manage it: never its password hash. */
export interface StaffAccountRow {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole;
  district_id: string | null;
  district_name: string | null;
  active: boolean;
  /** signs in through the identity provider: role, district and name come from its claims */
  oidc: boolean;
  has_password: boolean;
  must_change_password: boolean;
  failed_logins: number;
  /** set while the account is locked; null otherwise */
  locked_until: Date | null;
  created_at: Date;
  /** where alert notices reach the account (migration 0028) */
  phone: string | null;
  email: string | null;
}

const ACCOUNT_COLUMNS = `u.id, u.username, u.display_name, u.role, u.district_id, d.name as district_name, u.active,
  u.oidc_subject is not null as oidc, u.password_hash is not null as has_password, u.must_change_password,
  u.failed_logins, case when u.locked_until > now() then u.locked_until end as locked_until, u.created_at,
  u.phone, u.email`;

/** Accounts of a district (and none without one), or every account when the scope is null. */
export async function listStaffAccounts(db: Queryable, scope: string | null): Promise<StaffAccountRow[]> {
  const { rows } = await db.query<StaffAccountRow>(
    `select ${ACCOUNT_COLUMNS} from staff_users u left join districts d on d.id = u.district_id
      where $1::text is null or u.district_id = $1
      order by u.active desc, u.username`,
    [scope],
  );
  return rows;
}

/** One account; `lock` takes its row lock for a change in the caller's transaction. */
export async function findStaffAccount(
  db: Queryable,
  id: string,
  lock = false,
): Promise<StaffAccountRow | null> {
  const { rows } = await db.query<StaffAccountRow>(
    `select ${ACCOUNT_COLUMNS} from staff_users u left join districts d on d.id = u.district_id
      where u.id = $1 ${lock ? 'for update of u' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function usernameTaken(db: Queryable, username: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from staff_users where lower(username) = lower($1)', [
    username,
  ]);
  return (rowCount ?? 0) > 0;
}

/** A local account made by an admin: its first password is the admin's, so the user must replace it. */
export async function insertManagedStaffUser(
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
    `insert into staff_users (username, display_name, password_hash, role, district_id, must_change_password)
     values ($1, $2, $3, $4, $5, true) returning id`,
    [user.username, user.displayName, user.passwordHash, user.role, user.districtId],
  );
  return rows[0]!.id;
}

export async function updateStaffAccount(
  db: Queryable,
  id: string,
  values: { displayName: string; role: StaffRole; districtId: string | null; active: boolean },
): Promise<void> {
  await db.query(
    'update staff_users set display_name = $2, role = $3, district_id = $4, active = $5 where id = $1',
    [id, values.displayName, values.role, values.districtId, values.active],
  );
}

/**
 * A new password, with whether the user must replace it at their next sign-in (true when an admin set it). A new
 * password also ends any lock-out: the guesses were against the old one.
 */
export async function setStaffPassword(
  db: Queryable,
  id: string,
  passwordHash: string,
  mustChange: boolean,
): Promise<void> {
  await db.query(
    `update staff_users set password_hash = $2, must_change_password = $3, failed_logins = 0, locked_until = null
      where id = $1`,
    [id, passwordHash, mustChange],
  );
}

export async function clearLockout(db: Queryable, id: string): Promise<void> {
  await db.query('update staff_users set failed_logins = 0, locked_until = null where id = $1', [id]);
}

/** After a correct password: the count of wrong ones starts again (written only when there is one to clear). */
export async function clearFailedLogins(db: Queryable, id: string): Promise<void> {
  await db.query(
    `update staff_users set failed_logins = 0, locked_until = null
      where id = $1 and (failed_logins > 0 or locked_until is not null)`,
    [id],
  );
}

/**
 * Counts one wrong password. The one that reaches `maxFailures` locks the account for `lockMinutes` and starts the
 * count again, so the next lock-out needs as many new guesses. Returns the seconds locked, 0 when not locked.
 */
export async function recordFailedLogin(
  db: Queryable,
  id: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<number> {
  const { rows } = await db.query<{ locked_for_s: number }>(
    `update staff_users
        set failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
            locked_until = case when failed_logins + 1 >= $2 then now() + make_interval(mins => $3)
                                else locked_until end
      where id = $1
      returning greatest(0, ceil(extract(epoch from (locked_until - now()))))::int as locked_for_s`,
    [id, maxFailures, lockMinutes],
  );
  return rows[0]?.locked_for_s ?? 0;
}

// Serialises changes that could remove the last admin. A lock of its own, not row locks on every admin: the
// changed account's row is locked first, and two changes locking each other's rows next would deadlock.
const ADMIN_CHANGE_LOCK_KEY = 7_310_420_021;

/**
 * The active admins, read under a transaction-scoped lock that every change taking an admin away holds, so that
 * two admins cannot remove the last one together: the second reads after the first has committed.
 */
export async function lockActiveAdmins(db: Queryable): Promise<{ id: string; district_id: string | null }[]> {
  await db.query('select pg_advisory_xact_lock($1)', [ADMIN_CHANGE_LOCK_KEY]);
  const { rows } = await db.query<{ id: string; district_id: string | null }>(
    `select id, district_id from staff_users where role = 'admin' and active order by id`,
  );
  return rows;
}

/** The phone number and e-mail address alert notices go to (null: none). */
export async function setStaffContact(
  db: Queryable,
  id: string,
  contact: { phone: string | null; email: string | null },
): Promise<void> {
  await db.query('update staff_users set phone = $2, email = $3 where id = $1', [
    id,
    contact.phone,
    contact.email,
  ]);
}
