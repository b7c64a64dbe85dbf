import { describe, expect, it } from 'vitest';
import { mapClaims, type ClaimMapping } from './oidc-claims.js';

const plain: ClaimMapping = {
  roleClaim: 'roles',
  roleMap: {},
  districtClaim: 'district',
  districtMap: {},
  nameClaim: 'preferred_username',
};

describe('mapping identity provider claims to a role and a district', () => {
  it('takes role names and district ids as they are when no map is configured', () => {
    expect(
      mapClaims(
        { sub: 's1', roles: 'legal_reviewer', district: 'pudong', preferred_username: '王法制' },
        plain,
      ),
    ).toEqual({
      ok: true,
      subject: 's1',
      role: 'legal_reviewer',
      districtId: 'pudong',
      displayName: '王法制',
    });
  });

  it('picks the one mapped role out of a groups list and maps the district', () => {
    const mapping: ClaimMapping = {
      ...plain,
      roleClaim: 'realm_access.roles',
      roleMap: { 'cgj-evidence': 'evidence_reviewer', 'cgj-legal': 'legal_reviewer' },
      districtMap: { '310115': 'pudong' },
    };
    const claims = {
      sub: 's2',
      realm_access: { roles: ['offline_access', 'cgj-evidence'] },
      district: '310115',
    };
    expect(mapClaims(claims, mapping)).toMatchObject({
      ok: true,
      role: 'evidence_reviewer',
      districtId: 'pudong',
    });
    // unmapped values are ignored, even when they happen to be role names
    expect(mapClaims({ ...claims, realm_access: { roles: ['admin'] } }, mapping)).toMatchObject({
      ok: false,
      reason: 'no_role',
    });
  });

  it('refuses a claim set without a role, with two roles, or a non-admin without exactly one district', () => {
    expect(mapClaims({ sub: 's', district: 'pudong' }, plain)).toMatchObject({
      ok: false,
      reason: 'no_role',
    });
    expect(mapClaims({ sub: 's', roles: ['superuser'], district: 'pudong' }, plain)).toMatchObject({
      ok: false,
      reason: 'no_role',
    });
    expect(mapClaims({ sub: 's', roles: ['admin', 'legal_reviewer'] }, plain)).toMatchObject({
      ok: false,
      reason: 'ambiguous_role',
    });
    expect(mapClaims({ sub: 's', roles: 'district_staff' }, plain)).toMatchObject({
      ok: false,
      reason: 'no_district',
    });
    expect(
      mapClaims({ sub: 's', roles: 'district_staff', district: ['pudong', 'huangpu'] }, plain),
    ).toMatchObject({
      ok: false,
      reason: 'ambiguous_district',
    });
    expect(mapClaims({ roles: 'admin' }, plain)).toMatchObject({ ok: false, reason: 'no_subject' });
  });

  it('gives admins no district, whatever the claim says, and falls back to the subject for the name', () => {
    expect(mapClaims({ sub: 'adm-1', roles: ['admin', 'admin'], district: 'pudong' }, plain)).toEqual({
      ok: true,
      subject: 'adm-1',
      role: 'admin',
      districtId: null,
      displayName: 'adm-1',
    });
  });
});
