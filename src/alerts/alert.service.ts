import { appendAudit } from '../audit/audit.repo.js';
import { districtNames } from '../auth/district.repo.js';
import { assertRole, districtScope, type StaffPrincipal, type StaffRole } from '../auth/principal.js';
import { withTransaction, type Pool } from '../db/pool.js';
import { ConflictError, NotFoundError } from '../shared/errors.js';
import {
  acknowledgeAlert,
  findAlert,
  insertAlertEvent,
  listAlertEvents,
  listAlerts,
  resolveAlert,
  type AlertDetailRow,
  type AlertEventRow,
  type AlertFilter,
  type AlertRow,
} from './alert.repo.js';

/** Who reads alerts, and who may acknowledge and resolve them (leaders read only). */
export const ALERT_READERS: readonly StaffRole[] = ['admin', 'district_staff', 'agency_head', 'leader'];
export const ALERT_ACTORS: readonly StaffRole[] = ['admin', 'district_staff', 'agency_head'];

export interface AlertListPage {
  alerts: AlertRow[];
  filter: Omit<AlertFilter, 'limit' | 'cameraId'>;
  districts: Record<string, string>;
  mayAct: boolean;
}

export interface AlertDetailPage {
  alert: AlertDetailRow;
  events: AlertEventRow[];
  districtName: string | null;
  mayAct: boolean;
}

const LIST_LIMIT = 200;

/**
 * Alerts as staff see and handle them: a district's staff see their district's alerts, admins every alert
 * including the city-wide ones (queues, the detector). An alert outside the reader's scope is not found (404),
 * so its existence is not revealed. Acknowledging and resolving by hand are audited and kept in its history.
 */
export class AlertService {
  constructor(
    private readonly pool: Pool,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(staff: StaffPrincipal, filter: AlertListPage['filter']): Promise<AlertListPage> {
    assertRole(staff, ALERT_READERS);
    const alerts = await listAlerts(this.pool, districtScope(staff), { ...filter, limit: LIST_LIMIT });
    return {
      alerts,
      filter,
      districts: await districtNames(this.pool),
      mayAct: ALERT_ACTORS.includes(staff.role),
    };
  }

  /** The unresolved alerts of one camera the reader already may see (the camera page). */
  async forCamera(staff: StaffPrincipal, cameraId: string): Promise<AlertRow[]> {
    if (!ALERT_READERS.includes(staff.role)) return [];
    return listAlerts(this.pool, districtScope(staff), { cameraId, state: 'unresolved', limit: 20 });
  }

  async detail(staff: StaffPrincipal, id: string): Promise<AlertDetailPage> {
    assertRole(staff, ALERT_READERS);
    const alert = await this.visible(staff, id);
    const names = await districtNames(this.pool);
    return {
      alert,
      events: await listAlertEvents(this.pool, id),
      districtName: alert.districtId ? (names[alert.districtId] ?? alert.districtId) : null,
      mayAct: ALERT_ACTORS.includes(staff.role),
    };
  }

  async acknowledge(staff: StaffPrincipal, id: string): Promise<void> {
    await this.act(staff, id, 'acknowledged');
  }

  async resolve(staff: StaffPrincipal, id: string): Promise<void> {
    await this.act(staff, id, 'resolved');
  }

  private async visible(staff: StaffPrincipal, id: string): Promise<AlertDetailRow> {
    const alert = await findAlert(this.pool, id);
    const scope = districtScope(staff);
    if (!alert || (scope !== null && alert.districtId !== scope)) throw new NotFoundError('no such alert');
    return alert;
  }

  private async act(staff: StaffPrincipal, id: string, event: 'acknowledged' | 'resolved'): Promise<void> {
    assertRole(staff, ALERT_ACTORS);
    const alert = await this.visible(staff, id);
    const at = this.now();
    await withTransaction(this.pool, async (tx) => {
      const done =
        event === 'acknowledged'
          ? await acknowledgeAlert(tx, id, staff.id, at)
          : await resolveAlert(tx, id, staff.id, at);
      if (!done)
        throw new ConflictError(
          event === 'acknowledged' ? 'only an open alert is acknowledged' : 'the alert is resolved already',
        );
      await insertAlertEvent(tx, { alertId: id, event, actorId: staff.id, detail: { by: 'staff' } }, at);
      await appendAudit(tx, {
        actorKind: 'staff',
        actorId: staff.id,
        action: event === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
        subjectKind: 'alert',
        subjectId: id,
        districtId: alert.districtId,
        data: { kind: alert.kind, subject: alert.subject },
      });
    });
  }
}
