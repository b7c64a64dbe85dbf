import type { Queryable } from '../db/pool.js';

export interface PartyRow {
  id: string;
  district_id: string;
  kind: 'person' | 'unit';
  name: string;
  /** unified social credit code (units) or ID number (persons); null when the party has none on record */
  id_number: string | null;
  phone: string | null;
  email: string | null;
  address: string;
  online_delivery_consent: boolean;
  consent_recorded_at: Date | null;
  consent_channel: string | null;
}

export interface PartyInput {
  kind: 'person' | 'unit';
  name: string;
  idNumber: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string;
  onlineDeliveryConsent?: boolean;
  consentChannel?: string | null;
}

export async function listParties(
  db: Queryable,
  districtId: string | null,
  filter: { q?: string; limit: number },
): Promise<PartyRow[]> {
  const { rows } = await db.query<PartyRow>(
    `select * from parties
      where ($1::text is null or district_id = $1)
        and ($2::text is null or name ilike '%' || $2 || '%' or id_number = $2)
      order by name limit $3`,
    [districtId, filter.q?.replace(/[%_\\]/g, '') || null, filter.limit],
  );
  return rows;
}

export async function findParty(db: Queryable, id: string): Promise<PartyRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query<PartyRow>('select * from parties where id = $1', [id]);
  return rows[0] ?? null;
}

export async function insertParty(db: Queryable, districtId: string, p: PartyInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, email, address, online_delivery_consent, consent_recorded_at, consent_channel)
     values ($1, $2, $3, $4, $5, $6, $7, $8, case when $8 then now() end, $9) returning id`,
    [
      districtId,
      p.kind,
      p.name,
      p.idNumber,
      p.phone ?? null,
      p.email ?? null,
      p.address ?? '',
      p.onlineDeliveryConsent ?? false,
      p.consentChannel ?? null,
    ],
  );
  return rows[0]!.id;
}

/** Registers the party, or renames the one the district already has under this id number. */
export async function upsertParty(db: Queryable, districtId: string, p: PartyInput): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, email, address, online_delivery_consent, consent_recorded_at, consent_channel)
     values ($1, $2, $3, $4, $5, $6, $7, $8, case when $8 then now() end, $9)
     on conflict (district_id, id_number) do update set name = excluded.name
     returning id`,
    [
      districtId,
      p.kind,
      p.name,
      p.idNumber,
      p.phone ?? null,
      p.email ?? null,
      p.address ?? '',
      p.onlineDeliveryConsent ?? false,
      p.consentChannel ?? null,
    ],
  );
  return rows[0]!.id;
}

export async function findPartyConsent(
  db: Queryable,
  id: string,
): Promise<{ online_delivery_consent: boolean } | null> {
  const { rows } = await db.query<{ online_delivery_consent: boolean }>(
    'select online_delivery_consent from parties where id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function findPartyContacts(
  db: Queryable,
  id: string,
): Promise<{ phone: string | null; email: string | null } | null> {
  const { rows } = await db.query<{ phone: string | null; email: string | null }>(
    'select phone, email from parties where id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function partyInDistrict(db: Queryable, id: string, districtId: string): Promise<boolean> {
  const { rowCount } = await db.query('select 1 from parties where id = $1 and district_id = $2', [
    id,
    districtId,
  ]);
  return Boolean(rowCount);
}

/** Name and address without spaces or case, the form in which two records count as the same shop. */
const PLACE_KEY = `lower(regexp_replace(name, '\\s+', '', 'g')) || chr(1) || lower(regexp_replace(address, '\\s+', '', 'g'))`;

/** The district's party registered under this credit code or identity number, if any. */
export async function findPartyByNumber(
  db: Queryable,
  districtId: string,
  idNumber: string,
): Promise<PartyRow | null> {
  const { rows } = await db.query<PartyRow>(
    'select * from parties where district_id = $1 and id_number = $2',
    [districtId, idNumber],
  );
  return rows[0] ?? null;
}

/** The district's units at this place: the same name and address, compared without spaces or case. */
export async function findUnitsAtPlace(
  db: Queryable,
  districtId: string,
  placeKey: string,
): Promise<PartyRow[]> {
  const { rows } = await db.query<PartyRow>(
    `select * from parties where district_id = $1 and kind = 'unit' and ${PLACE_KEY} = $2 order by created_at`,
    [districtId, placeKey],
  );
  return rows;
}

/** Which of these numbers and place keys the district's register already holds, for an import's duplicate checks. */
export async function registeredKeys(
  db: Queryable,
  districtId: string,
  numbers: readonly string[],
  placeKeys: readonly string[],
): Promise<{ numbers: Set<string>; placeKeys: Set<string> }> {
  const { rows } = await db.query<{ id_number: string; place: string; kind: string }>(
    `select id_number, ${PLACE_KEY} as place, kind from parties
      where district_id = $1 and (id_number = any($2::text[]) or (kind = 'unit' and ${PLACE_KEY} = any($3::text[])))`,
    [districtId, numbers, placeKeys],
  );
  return {
    numbers: new Set(rows.map((r) => r.id_number)),
    placeKeys: new Set(rows.filter((r) => r.kind === 'unit').map((r) => r.place)),
  };
}

/** Adds the party unless its number is already in the district's register; null when it was. */
export async function insertPartyIfNew(
  db: Queryable,
  districtId: string,
  p: PartyInput,
): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, email, address)
     values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (district_id, id_number) do nothing returning id`,
    [districtId, p.kind, p.name, p.idNumber, p.phone ?? null, p.email ?? null, p.address ?? ''],
  );
  return rows[0]?.id ?? null;
}

/** The names of the district's parties among these ids. */
export async function partyNames(
  db: Queryable,
  districtId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (valid.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; name: string }>(
    'select id::text, name from parties where district_id = $1 and id::text = any($2::text[])',
    [districtId, valid],
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
