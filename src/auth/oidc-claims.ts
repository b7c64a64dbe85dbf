import { STAFF_ROLES, type StaffRole } from './principal.js';

/**
 * How an identity provider's claims become a staff member's role and district. Pure: the service checks the
 * district against the register and writes the account.
 *
 * - The role claim may hold one value or a list (a groups claim); a dotted name reaches into nested claims
 *   (`realm_access.roles`). With a role map, only mapped values count; without one, values that are role names.
 *   Exactly one role must result: none, or two different ones, is refused rather than guessed.
 * - Admins act across districts and need no district. Everyone else needs exactly one, mapped the same way.
 */

export interface ClaimMapping {
  roleClaim: string;
  /** claim value -> role; empty: the values are role names */
  roleMap: Record<string, string>;
  districtClaim: string;
  /** claim value -> district id; empty: the values are district ids */
  districtMap: Record<string, string>;
  /** the claim shown as the staff member's name */
  nameClaim: string;
}

export type ClaimRefusal = 'no_subject' | 'no_role' | 'ambiguous_role' | 'no_district' | 'ambiguous_district';

export type MappedClaims =
  | { ok: true; subject: string; role: StaffRole; districtId: string | null; displayName: string }
  | { ok: false; reason: ClaimRefusal; message: string };

/** Staff-facing words for each refusal, Chinese first. */
export const CLAIM_REFUSAL_TEXT: Record<ClaimRefusal, string> = {
  no_subject: '身份认证结果缺少用户标识（sub）。The identity provider sent no subject.',
  no_role: '统一身份认证未授予本系统角色，请联系管理员。Your account has no role in this system.',
  ambiguous_role:
    '统一身份认证授予了多个不同角色，无法确定，请联系管理员。Your account maps to more than one role.',
  no_district: '统一身份认证未指定所属区，请联系管理员。Your account names no district.',
  ambiguous_district: '统一身份认证指定了多个区，请联系管理员。Your account names more than one district.',
};

function claimValues(claims: Record<string, unknown>, name: string): string[] {
  let value: unknown = claims[name];
  if (value === undefined && name.includes('.')) {
    value = name
      .split('.')
      .reduce<unknown>(
        (v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined),
        claims,
      );
  }
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String);
}

function mapped(values: string[], map: Record<string, string>): string[] {
  const hasMap = Object.keys(map).length > 0;
  return [...new Set(values.flatMap((v) => (hasMap ? (map[v] !== undefined ? [map[v]] : []) : [v])))];
}

function refuse(reason: ClaimRefusal): MappedClaims {
  return { ok: false, reason, message: CLAIM_REFUSAL_TEXT[reason] };
}

export function mapClaims(claims: Record<string, unknown>, mapping: ClaimMapping): MappedClaims {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  if (!subject) return refuse('no_subject');
  const roles = mapped(claimValues(claims, mapping.roleClaim), mapping.roleMap).filter((r): r is StaffRole =>
    (STAFF_ROLES as readonly string[]).includes(r),
  );
  if (roles.length === 0) return refuse('no_role');
  if (roles.length > 1) return refuse('ambiguous_role');
  const role = roles[0]!;
  let districtId: string | null = null;
  if (role !== 'admin') {
    const districts = mapped(claimValues(claims, mapping.districtClaim), mapping.districtMap);
    if (districts.length === 0) return refuse('no_district');
    if (districts.length > 1) return refuse('ambiguous_district');
    districtId = districts[0]!;
  }
  const name = claimValues(claims, mapping.nameClaim)[0] ?? claimValues(claims, 'name')[0] ?? subject;
  return { ok: true, subject, role, districtId, displayName: name.slice(0, 200) };
}
