import { listUnresolvedAlerts } from '../alerts/alert.repo.js';
import { districtName, listDistricts } from '../auth/district.repo.js';
import { districtScope, type StaffPrincipal } from '../auth/principal.js';
import type { Pool } from '../db/pool.js';
import { DomainError, ForbiddenError } from '../shared/errors.js';
import { i18nFor } from '../web/i18n/index.js';
import { dayWindows } from './screen-figures.js';
import { buildSnapshot, type ScreenData, type ScreenSnapshot } from './screen-snapshot.js';
import { StreamSlots } from './screen-stream.js';
import { dayCounts, reviewBacklogOf, screenCameras, sessionStillValid } from './screen.repo.js';

/** Cameras read for one screen: the map shows them all, the tiles the first MAX_TILES (problems first). */
const CAMERA_LIMIT = 2_000;
/**
 * Screens of one district share what they read for this long: ten screens on a wall, or a screen per office,
 * cost one set of queries per second, not one per stream.
 */
const SHARED_FOR_MS = 1_000;
/** Open alerts read for one screen (the panel shows a few and counts the rest up to this). */
const ALERTS_READ = 100;

export interface ScreenSettings {
  snapshotSeconds: number;
  heartbeatSeconds: number;
  streamsPerUser: number;
}

/** The district a screen shows: null is the whole city (admins only). */
export interface ScreenScope {
  districtId: string | null;
  districtName: string | null;
}

export interface ScreenPage {
  snapshot: ScreenSnapshot;
  /** the districts an admin may switch to; empty for everyone else */
  districts: { id: string; name: string }[];
  settings: ScreenSettings;
}

/** The command screen's read model: who sees which district, the snapshot, and the live streams' slots. */
export class ScreenService {
  private readonly shared = new Map<string, { at: number; data: Promise<ScreenData> }>();
  private readonly slots: StreamSlots;

  constructor(
    private readonly pool: Pool,
    readonly settings: ScreenSettings,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.slots = new StreamSlots(settings.streamsPerUser);
  }

  /**
   * The district the screen shows. Admins see the city, or one district they pick (an unknown one is a 404);
   * everyone else sees their own district, and asking for another is refused (403).
   */
  async scope(staff: StaffPrincipal, requested: string | undefined): Promise<ScreenScope> {
    const own = districtScope(staff);
    if (own !== null) {
      if (requested !== undefined && requested !== own)
        throw new ForbiddenError(i18nFor(staff).t('screen.otherDistrict'));
      return { districtId: own, districtName: (await districtName(this.pool, own)) ?? own };
    }
    if (requested === undefined) return { districtId: null, districtName: null };
    const name = await districtName(this.pool, requested);
    if (name === null) throw new DomainError(404, 'not_found', i18nFor(staff).t('screen.unknownDistrict'));
    return { districtId: requested, districtName: name };
  }

  async snapshot(staff: StaffPrincipal, scope: ScreenScope): Promise<ScreenSnapshot> {
    return buildSnapshot(await this.data(scope), i18nFor(staff));
  }

  async page(staff: StaffPrincipal, scope: ScreenScope): Promise<ScreenPage> {
    const districts = staff.role === 'admin' ? await listDistricts(this.pool, null) : [];
    return {
      snapshot: await this.snapshot(staff, scope),
      districts: districts.map((d) => ({ id: d.id, name: d.name })),
      settings: this.settings,
    };
  }

  /** A slot for one more live stream of this member of staff; false past the cap. */
  openStream(staff: StaffPrincipal): boolean {
    return this.slots.take(staff.id);
  }

  closeStream(staff: StaffPrincipal): void {
    this.slots.give(staff.id);
  }

  /** Whether the stream's session still stands for this member of staff (without extending it). */
  stillSignedIn(token: string | undefined, staff: StaffPrincipal): Promise<boolean> {
    if (!token) return Promise.resolve(false);
    return sessionStillValid(this.pool, token, {
      userId: staff.id,
      role: staff.role,
      districtId: staff.districtId,
    });
  }

  private data(scope: ScreenScope): Promise<ScreenData> {
    const key = scope.districtId ?? '';
    const at = Date.now();
    const hit = this.shared.get(key);
    if (hit && at - hit.at < SHARED_FOR_MS) return hit.data;
    const data = this.read(scope);
    this.shared.set(key, { at, data });
    // a failed read is not shared: the next stream tick tries again
    data.catch(() => this.shared.delete(key));
    return data;
  }

  private async read(scope: ScreenScope): Promise<ScreenData> {
    const now = this.clock();
    const id = scope.districtId;
    const windows = dayWindows(now);
    const [counts, backlog, cameras, alerts] = await Promise.all([
      dayCounts(this.pool, id, windows),
      reviewBacklogOf(this.pool, id),
      screenCameras(this.pool, id, CAMERA_LIMIT),
      // more than the panel shows, so it can say how many more there are
      listUnresolvedAlerts(this.pool, id, ALERTS_READ),
    ]);
    return {
      now,
      district: { id, name: scope.districtName },
      counts,
      backlog,
      cameras,
      alerts,
    };
  }
}
