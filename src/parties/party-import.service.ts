import { appendAudit } from '../audit/audit.repo.js';
import type { StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool, type Queryable } from '../db/pool.js';
import { ValidationError } from '../shared/errors.js';
import { insertPartyIfNew, registeredKeys } from './party.repo.js';
import type { PartyService } from './party.service.js';
import {
  CsvFileError,
  nameAddressKey,
  planShopImport,
  readShopRegister,
  type RefusedRow,
  type ShopRow,
} from './shop-register-csv.js';

/** What a dry run shows and an import did: the rows imported (or to import) and the refused rows with reasons. */
export interface ImportReport {
  districtId: string;
  dryRun: boolean;
  accepted: ShopRow[];
  refused: RefusedRow[];
}

/**
 * Imports the shop register from a CSV file (docs/parties.md). A dry run stores nothing; an import stores every
 * acceptable row in one transaction and refuses the others, each with its line and reason, audited once.
 */
export class PartyImportService {
  constructor(
    private readonly pool: Pool,
    private readonly parties: PartyService,
  ) {}

  async run(
    principal: StaffPrincipal,
    input: { csv: string; districtId?: string; dryRun: boolean },
  ): Promise<ImportReport> {
    const districtId = await this.parties.targetDistrict(principal, input.districtId);
    let read: { rows: ShopRow[]; refused: RefusedRow[] };
    try {
      read = readShopRegister(input.csv);
    } catch (err) {
      if (err instanceof CsvFileError) throw new ValidationError(`csv: ${err.message}`);
      throw err;
    }
    if (input.dryRun) {
      const plan = await planAgainstRegister(this.pool, districtId, read.rows);
      return {
        districtId,
        dryRun: true,
        accepted: plan.accepted,
        refused: byLine([...read.refused, ...plan.refused]),
      };
    }
    return withTransaction(this.pool, async (tx) => {
      const plan = await planAgainstRegister(tx, districtId, read.rows);
      const accepted: ShopRow[] = [];
      const refused = [...read.refused, ...plan.refused];
      for (const row of plan.accepted) {
        const id = await insertPartyIfNew(tx, districtId, {
          kind: 'unit',
          name: row.name,
          idNumber: row.creditCode,
          address: row.address,
          phone: row.phone,
          email: row.email,
        });
        // registered by someone else since the plan was made
        if (id) accepted.push(row);
        else
          refused.push({
            line: row.line,
            name: row.name,
            creditCode: row.creditCode,
            reason: 'duplicate_code_in_register',
          });
      }
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'party.import',
        districtId,
        data: { imported: accepted.length, refused: refused.length, rows: accepted.length + refused.length },
      });
      return { districtId, dryRun: false, accepted, refused: byLine(refused) };
    });
  }
}

async function planAgainstRegister(db: Queryable, districtId: string, rows: readonly ShopRow[]) {
  const keys = await registeredKeys(
    db,
    districtId,
    rows.map((r) => r.creditCode),
    rows.map((r) => nameAddressKey(r.name, r.address)),
  );
  return planShopImport(rows, { codes: keys.numbers, nameAddresses: keys.placeKeys });
}

function byLine(rows: RefusedRow[]): RefusedRow[] {
  return rows.sort((a, b) => a.line - b.line);
}
