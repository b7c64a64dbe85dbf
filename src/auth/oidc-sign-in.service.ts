import { createHash } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { DomainError } from '../shared/errors.js';
import { mapClaims, CLAIM_REFUSAL_TEXT, type ClaimMapping } from './oidc-claims.js';
import type { StaffPrincipal } from './principal.js';
import { createSession } from './session.repo.js';
import { districtExists } from './district.repo.js';
import { upsertOidcStaffUser } from './staff-user.repo.js';

/** A sign-in the bureau refuses although the provider vouched for the person; the message is for them. */
export class OidcSignInRefused extends DomainError {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(403, 'sign_in_refused', message);
  }
}

/** The local account name of a provider's subject: stable, unique per issuer and subject, and valid as a username. */
export function oidcUsername(issuer: string, subject: string): string {
  return `sso-${createHash('sha256').update(`${issuer}\n${subject}`).digest('hex').slice(0, 20)}`;
}

/**
 * Staff sign-in with claims an identity provider has vouched for: the claims give the role and district (see
 * oidc-claims.ts), the account is made or brought in line with them, and a session starts, all in one transaction
 * with its audit row. A refusal is audited too, with its reason.
 */
export class OidcSignInService {
  constructor(
    private readonly pool: Pool,
    private readonly mapping: ClaimMapping,
    private readonly sessionTtlMinutes: number,
  ) {}

  async signIn(
    issuer: string,
    claims: Record<string, unknown>,
    meta: { ip: string; userAgent: string },
  ): Promise<{ token: string; principal: StaffPrincipal }> {
    const mapped = mapClaims(claims, this.mapping);
    const subject = typeof claims.sub === 'string' ? claims.sub.slice(0, 255) : null;
    if (!mapped.ok) return this.refuse(issuer, subject, mapped.reason, mapped.message, meta);
    if (mapped.districtId && !(await districtExists(this.pool, mapped.districtId))) {
      return this.refuse(
        issuer,
        subject,
        'unknown_district',
        `${CLAIM_REFUSAL_TEXT.no_district}（${mapped.districtId}）`,
        meta,
      );
    }
    const outcome = await withTransaction(this.pool, async (tx) => {
      const { row, previous } = await upsertOidcStaffUser(tx, {
        issuer,
        subject: mapped.subject,
        username: oidcUsername(issuer, mapped.subject),
        displayName: mapped.displayName,
        role: mapped.role,
        districtId: mapped.districtId,
      });
      if (!row.active) return { row, token: null };
      const token = await createSession(tx, row.id, this.sessionTtlMinutes, meta);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: row.id,
        action: 'staff.login',
        subjectKind: 'staff_user',
        subjectId: row.id,
        districtId: row.district_id,
        data: {
          ip: meta.ip,
          via: 'oidc',
          issuer,
          role: row.role,
          ...(previous && (previous.role !== row.role || previous.district_id !== row.district_id)
            ? { previousRole: previous.role, previousDistrict: previous.district_id }
            : {}),
        },
      });
      return { row, token };
    });
    if (!outcome.token) {
      return this.refuse(
        issuer,
        subject,
        'disabled',
        '该账户已被停用，请联系管理员。This account is disabled.',
        meta,
      );
    }
    const { row } = outcome;
    return {
      token: outcome.token,
      principal: {
        id: row.id,
        username: row.username,
        displayName: row.display_name,
        role: row.role,
        districtId: row.district_id,
      },
    };
  }

  private async refuse(
    issuer: string,
    subject: string | null,
    reason: string,
    message: string,
    meta: { ip: string },
  ): Promise<never> {
    await withTransaction(this.pool, (tx) =>
      appendAudit(tx, {
        actorKind: 'system',
        action: 'staff.login_failed',
        subjectKind: 'staff_user',
        subjectId: null,
        data: { via: 'oidc', issuer, subject, reason, ip: meta.ip },
      }),
    );
    throw new OidcSignInRefused(reason, message);
  }
}
