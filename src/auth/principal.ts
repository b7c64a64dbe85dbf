import { ForbiddenError } from '../shared/errors.js';

/**
 * `agency_head` is the agency's head (行政机关负责人), who takes penalty decisions (APL art. 57); `patrol` (巡查队员)
 * works field tasks and inspections from a phone; `leader` (领导) reads figures, alerts and the command screen.
 */
export type StaffRole =
  'admin' | 'district_staff' | 'evidence_reviewer' | 'legal_reviewer' | 'agency_head' | 'patrol' | 'leader';

export const STAFF_ROLES: readonly StaffRole[] = [
  'admin',
  'district_staff',
  'evidence_reviewer',
  'legal_reviewer',
  'agency_head',
  'patrol',
  'leader',
];

/** The signed-in staff member as every service sees them. */
export interface StaffPrincipal {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  /** null only for admins, who act across districts */
  districtId: string | null;
  /** the district's name, for the pages (absent where only the id was at hand) */
  districtName?: string | null;
  /** the language of the staff pages this member of staff chose; Chinese when absent */
  lang?: 'zh' | 'en';
}

/**
 * The district filter a query must apply for this principal: null means every district (admins only).
 * Repositories take this value, never a district id from the request, so a user cannot widen their own scope.
 */
export function districtScope(principal: StaffPrincipal): string | null {
  if (principal.role === 'admin') return null;
  if (!principal.districtId) throw new ForbiddenError('account has no district');
  return principal.districtId;
}

export function canActInDistrict(principal: StaffPrincipal, districtId: string): boolean {
  const scope = districtScope(principal);
  return scope === null || scope === districtId;
}

export function assertRole(principal: StaffPrincipal, roles: readonly StaffRole[]): void {
  if (!roles.includes(principal.role)) throw new ForbiddenError(`role ${principal.role} may not do this`);
}
