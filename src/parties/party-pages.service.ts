import { listDistricts, type DistrictRow } from '../auth/district.repo.js';
import type { StaffPrincipal } from '../auth/principal.js';
import type { ShopFrontLinkService } from '../cameras/shop-front-link.service.js';
import type { ShopFrontZoneRow } from '../cameras/shop-front-zone.repo.js';
import type { Pool } from '../db/pool.js';
import { maskedParty } from './party-view.js';
import type { PartyService, SamePlaceWarning } from './party.service.js';

/** The party register pages' data: the list with search, the form, one party with its shop-front zones. */

export type MaskedParty = ReturnType<typeof maskedParty> & { address: string };

export interface PartyListPage {
  q: string;
  parties: MaskedParty[];
}

export async function partyListPage(
  parties: PartyService,
  staff: StaffPrincipal,
  q: string | undefined,
): Promise<PartyListPage> {
  const rows = await parties.search(staff, q?.trim() || undefined);
  return { q: q ?? '', parties: rows.map((p) => ({ ...maskedParty(p), address: p.address })) };
}

/** What the form shows again: the values typed, and a registered shop at the same place when there is one. */
export interface PartyFormValues {
  kind: 'unit' | 'person';
  name: string;
  idNumber: string;
  address: string;
  phone: string;
  districtId: string;
}

export interface NewPartyPage {
  /** districts an admin chooses from; empty for staff, who register in their own */
  districts: DistrictRow[];
  values: PartyFormValues | null;
  warning: SamePlaceWarning | null;
}

export async function newPartyPage(
  pool: Pool,
  staff: StaffPrincipal,
  values: PartyFormValues | null = null,
  warning: SamePlaceWarning | null = null,
): Promise<NewPartyPage> {
  const districts = staff.role === 'admin' ? await listDistricts(pool, null) : [];
  return { districts, values, warning };
}

export interface PartyDetailPage {
  party: MaskedParty;
  /** the shop-front zones whose door line names this party */
  linked: ShopFrontZoneRow[];
  /** the shop-front zones this member of staff may link it to; null when they may not link */
  linkable: (ShopFrontZoneRow & { linkedName: string | null })[] | null;
}

export async function partyDetailPage(
  deps: { parties: PartyService; shopFronts: ShopFrontLinkService },
  staff: StaffPrincipal,
  id: string,
): Promise<PartyDetailPage> {
  const party = await deps.parties.get(staff, id);
  // a front line may only name a party of its camera's district
  const zones = (await deps.shopFronts.list(staff)).filter((z) => z.district_id === party.district_id);
  const canLink = party.kind === 'unit' && (staff.role === 'admin' || staff.role === 'district_staff');
  const names = canLink
    ? await deps.parties.names(
        party.district_id,
        zones.flatMap((z) => (z.party_id ? [z.party_id] : [])),
      )
    : new Map<string, string>();
  return {
    party: { ...maskedParty(party), address: party.address },
    linked: zones.filter((z) => z.party_id === party.id),
    linkable: canLink
      ? zones
          .filter((z) => z.party_id !== party.id)
          .map((z) => ({ ...z, linkedName: z.party_id ? (names.get(z.party_id) ?? null) : null }))
      : null,
  };
}
