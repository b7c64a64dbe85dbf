import type { Queryable } from '../db/pool.js';
import type { StaffRole } from './principal.js';

export interface StaffUserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: StaffRole;
  district_id: string | null;
  active: boolean;
}

export async function findStaffByUsername(db: Queryable, username: string): Promise<StaffUserRow | null> {
  const { rows } = await db.query<StaffUserRow>(
    'select id, username, display_name, password_hash, role, district_id, active from staff_users where username = $1',
    [username],
  );
  return rows[0] ?? null;
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
