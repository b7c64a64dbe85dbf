import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.repo.js';
import { assertRole, type StaffPrincipal } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { zonesWarnFirstFaults } from '../zones/warn-first-setting.js';
import { validateZones } from '../zones/zone-validation.js';
import type { Zone } from '../zones/zone.schema.js';
import { bumpCameraVersion, snapshotCameraVersion } from './camera.repo.js';
import type { CameraService } from './camera.service.js';
import { listZones, replaceZones, unknownPartyIds } from './zone.repo.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ZoneService {
  constructor(
    private readonly pool: Pool,
    private readonly cameras: CameraService,
  ) {}

  async list(principal: StaffPrincipal, cameraId: string): Promise<{ version: number; zones: Zone[] }> {
    const camera = await this.cameras.get(principal, cameraId);
    return { version: camera.version, zones: await listZones(this.pool, cameraId) };
  }

  /**
   * Replaces all zones of a camera in one change, which makes one new camera version. New zones get an id here;
   * every fault is reported at once, each naming its zone, and nothing is written unless all are valid. With
   * `expectedVersion`, a camera changed by someone else since that version is refused (409) rather than
   * overwritten: the version is bumped under the row's lock, so two editors saving at once cannot both pass.
   */
  async replace(
    principal: StaffPrincipal,
    cameraId: string,
    input: unknown,
    expectedVersion?: number,
  ): Promise<{ version: number; zones: Zone[] }> {
    assertRole(principal, ['admin', 'district_staff']);
    const camera = await this.cameras.get(principal, cameraId);
    if (!Array.isArray(input)) throw new ValidationError('zones must be a list');
    if (input.length > 200)
      throw new ValidationError(`a camera may have at most 200 zones, got ${input.length}`);
    const withIds = input.map((z) => {
      if (typeof z !== 'object' || z === null) return z;
      const id = (z as { id?: unknown }).id;
      return typeof id === 'string' && UUID.test(id) ? z : { ...z, id: randomUUID() };
    });
    const shapeFaults = validateZones(withIds);
    const faults = shapeFaults.length > 0 ? shapeFaults : zonesWarnFirstFaults(withIds as Zone[]);
    if (faults.length > 0) {
      throw new ValidationError(faults.map((f) => f.message).join('; '), { faults });
    }
    const zones = withIds as Zone[];
    const partyIds = zones.flatMap((z) => (z.frontLine ? [z.frontLine.partyId] : []));
    const unknown = await unknownPartyIds(this.pool, camera.district_id, partyIds);
    if (unknown.length > 0) {
      throw new ValidationError(
        `front line names a party that is not in this district's register: ${unknown.join(', ')}`,
      );
    }
    const version = await withTransaction(this.pool, async (tx) => {
      const v = await bumpCameraVersion(tx, cameraId);
      if (expectedVersion !== undefined && v !== expectedVersion + 1) {
        throw new ConflictError(
          `the camera was changed since version ${expectedVersion} (it is now at ${v - 1}); reload and edit again`,
          { currentVersion: v - 1 },
        );
      }
      await replaceZones(tx, cameraId, zones);
      await snapshotCameraVersion(tx, cameraId, principal.id);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: principal.id,
        action: 'camera.zones_replace',
        subjectKind: 'camera',
        subjectId: cameraId,
        districtId: camera.district_id,
        data: { version: v, zones: zones.map((z) => ({ id: z.id, kind: z.kind, name: z.name })) },
      });
      return v;
    });
    return { version, zones: await listZones(this.pool, cameraId) };
  }
}
