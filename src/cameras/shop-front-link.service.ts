import { canActInDistrict, districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { findParty } from '../parties/party.repo.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { listShopFrontZones, type ShopFrontZoneRow } from './shop-front-zone.repo.js';
import type { ZoneService } from './zone.service.js';

/**
 * Links a camera's shop-front zone to the shop whose door line it draws: the zone's front line names the party,
 * so warnings and cases of that zone are addressed to it. The change goes through the zone editor's one path
 * (ZoneService.replace): validated, a new camera version, audited.
 */
export class ShopFrontLinkService {
  constructor(
    private readonly pool: Pool,
    private readonly zones: ZoneService,
  ) {}

  /** The shop-front zones the principal may see, with the party each names. */
  async list(principal: StaffPrincipal): Promise<ShopFrontZoneRow[]> {
    return listShopFrontZones(this.pool, districtScope(principal));
  }

  async link(
    principal: StaffPrincipal,
    input: { cameraId: string; zoneId: string; partyId: string },
  ): Promise<void> {
    const party = await findParty(this.pool, input.partyId);
    if (!party || !canActInDistrict(principal, party.district_id)) throw new NotFoundError('party');
    if (party.kind !== 'unit')
      throw new ValidationError('partyId: a shop-front zone links to a shop, not a person');
    const { zones } = await this.zones.list(principal, input.cameraId);
    const zone = zones.find((z) => z.id === input.zoneId);
    if (!zone) throw new NotFoundError('zone');
    if (zone.kind !== 'shop_front' || !zone.frontLine)
      throw new ValidationError('zoneId: only a shop-front zone with a door line links to a shop');
    const next = zones.map((z) =>
      z.id === zone.id && z.frontLine ? { ...z, frontLine: { ...z.frontLine, partyId: input.partyId } } : z,
    );
    await this.zones.replace(principal, input.cameraId, next);
  }
}
