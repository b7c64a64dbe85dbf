import { appendAudit, appendAuditNow } from '../audit/audit.repo.js';
import { assertDistrictExists } from '../auth/district.repo.js';
import { assertRole, canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../shared/errors.js';
import { identifierFault, normaliseCode } from './identity-codes.js';
import {
  findParty,
  findPartyByNumber,
  findUnitsAtPlace,
  insertParty,
  listParties,
  partyNames,
  type PartyInput,
  type PartyRow,
} from './party.repo.js';
import { nameAddressKey } from './shop-register-csv.js';

const SEARCH_LIMIT = 50;

/** Who may add to the register: district staff and the reviewers who meet unregistered parties in evidence. */
export const REGISTER_ROLES = [
  'admin',
  'district_staff',
  'evidence_reviewer',
  'legal_reviewer',
  // the patrol registers the party it identifies on site (field tasks)
  'patrol',
] as const;

export interface RegisterInput extends Omit<PartyInput, 'idNumber'> {
  /** checked when given; a stall or unregistered shop without a code, or a person whose number is unknown, has none */
  idNumber?: string | null;
  districtId?: string;
  /** the member of staff saw that a shop of the same name and address is registered and adds this one anyway */
  confirmSamePlace?: boolean;
}

/** A registered shop at the same name and address: said before registering, refused unless confirmed. */
export interface SamePlaceWarning {
  reason: 'same_name_address';
  parties: { id: string; name: string; address: string }[];
}

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

  /** One party of the principal's scope; a party of another district is not found. */
  async get(principal: StaffPrincipal, id: string): Promise<PartyRow> {
    const party = await findParty(this.pool, id);
    if (!party || !canActInDistrict(principal, party.district_id)) throw new NotFoundError('party');
    return party;
  }

  /** Names of a district's parties by id, for pages that show which shop a zone names. */
  names(districtId: string, ids: readonly string[]): Promise<Map<string, string>> {
    return partyNames(this.pool, districtId, ids);
  }

  /** The district a new party goes to: the staff member's own, or the one an admin names. */
  async targetDistrict(principal: StaffPrincipal, districtId: string | undefined): Promise<string> {
    assertRole(principal, REGISTER_ROLES);
    const target = districtId || principal.districtId;
    if (!target) throw new ValidationError('districtId: an admin names the district of the party');
    if (!canActInDistrict(principal, target)) throw new ForbiddenError('cannot add parties to that district');
    await assertDistrictExists(this.pool, target);
    return target;
  }

  /**
   * The checks before a party is added: a well-formed identifier (refused otherwise), one not yet registered
   * (refused), and for a shop, whether one of the same name and address is registered (a warning to confirm).
   */
  async check(
    principal: StaffPrincipal,
    input: RegisterInput,
  ): Promise<{ districtId: string; party: PartyInput; warning: SamePlaceWarning | null }> {
    const districtId = await this.targetDistrict(principal, input.districtId);
    const party: PartyInput = {
      ...input,
      name: input.name.trim(),
      address: input.address?.trim() ?? '',
      idNumber: normaliseCode(input.idNumber ?? '') || null,
    };
    if (!party.name) throw new ValidationError('name: the party has a name');
    const fault = party.idNumber ? identifierFault(party.kind, party.idNumber) : null;
    if (fault)
      throw new ValidationError(
        fault === 'malformed_credit_code'
          ? 'idNumber: not a valid unified social credit code (18 characters, check character per GB 32100-2015)'
          : 'idNumber: not a valid identity number (18 characters, check digit per GB 11643)',
        { reason: fault },
      );
    const same = party.idNumber ? await findPartyByNumber(this.pool, districtId, party.idNumber) : null;
    if (same)
      throw new ConflictError('a party with this credit code or identity number is already registered', {
        reason: 'duplicate_number',
        partyId: same.id,
      });
    if (party.kind === 'unit' && !party.address) throw new ValidationError('address: a shop has an address');
    const samePlace =
      party.kind === 'unit'
        ? await findUnitsAtPlace(this.pool, districtId, nameAddressKey(party.name, party.address ?? ''))
        : [];
    const warning: SamePlaceWarning | null =
      samePlace.length > 0
        ? {
            reason: 'same_name_address',
            parties: samePlace.map((p) => ({ id: p.id, name: p.name, address: p.address })),
          }
        : null;
    return { districtId, party, warning };
  }

  /** Adds a party after the checks above; a shop at a registered name and address needs `confirmSamePlace`. */
  async register(principal: StaffPrincipal, input: RegisterInput): Promise<string> {
    const { districtId, party, warning } = await this.check(principal, input);
    if (warning && !input.confirmSamePlace)
      throw new ConflictError(
        'a shop of the same name and address is registered; confirm to add this one as well',
        warning,
      );
    return withTransaction(this.pool, async (tx) => {
      const newId = await insertParty(tx, districtId, party).catch((err: { code?: string }) => {
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
        data: { kind: party.kind, ...(warning ? { confirmedSamePlace: true } : {}) },
      });
      return newId;
    });
  }
}
