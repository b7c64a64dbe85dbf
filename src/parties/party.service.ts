import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import { canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { ConflictError, ForbiddenError } from '../shared/errors.js';
import { insertParty, listParties, type PartyInput, type PartyRow } from './party.repo.js';

const SEARCH_LIMIT = 50;

/** The party register: searched and added to by district staff, every step on the audit trail. */
export class PartyService {
  constructor(private readonly pool: Pool) {}

  /** Parties of the principal's district (all districts for an admin) matching the query. */
  async search(principal: StaffPrincipal, q: string | undefined): Promise<PartyRow[]> {
    const rows = await listParties(this.pool, districtScope(principal), { q, limit: SEARCH_LIMIT });
    // personal data: every search of the register is on the record (Pudong art. 16)
    await appendAuditNow(this.pool, {
      actorKind: 'staff',
      actorId: principal.id,
      action: 'party.search',
      districtId: principal.districtId,
      data: { q: q ?? null, results: rows.length },
    });
    return rows;
  }

  /** Adds a party to the given district (staff: their own by default) and returns its id. */
  async register(principal: StaffPrincipal, input: PartyInput & { districtId?: string }): Promise<string> {
    const districtId = input.districtId ?? principal.districtId;
    if (!districtId || !canActInDistrict(principal, districtId))
      throw new ForbiddenError('cannot add parties to that district');
    await assertDistrictExists(this.pool, districtId);
    return withTransaction(this.pool, async (tx) => {
      const newId = await insertParty(tx, districtId, input).catch((err: { code?: string }) => {
        if (err.code === '23505')
          throw new ConflictError('a party with this id number is already registered');
        throw err;
      });
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'party.create',
        subjectKind: 'party',
        subjectId: newId,
        districtId,
        data: { kind: input.kind },
      });
      return newId;
    });
  }
}
