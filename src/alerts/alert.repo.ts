import type { Queryable } from '../db/pool.js';

/** SQL of the alerts tables (migration 0026). */

export type AlertKind =
  | 'camera_offline'
  | 'capture_volume'
  | 'false_positive_rate'
  | 'review_backlog'
  | 'queue_stalled'
  | 'detector_failing';
export type AlertState = 'open' | 'acknowledged' | 'resolved';
export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertRow {
  id: string;
  kind: AlertKind;
  subject: string;
  districtId: string | null;
  cameraId: string | null;
  cameraName: string | null;
  severity: AlertSeverity;
  state: AlertState;
  detail: Record<string, unknown>;
  openedAt: Date;
  lastSeenAt: Date;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

const COLUMNS = `a.id, a.kind, a.subject, a.district_id as "districtId", a.camera_id as "cameraId",
  c.name as "cameraName", a.severity, a.state, a.detail, a.opened_at as "openedAt",
  a.last_seen_at as "lastSeenAt", a.acknowledged_at as "acknowledgedAt", a.resolved_at as "resolvedAt"`;

/**
 * The alerts not yet resolved that a reader of `districtId` sees (null: every district and the city-wide ones),
 * newest first. A district's staff see their district's alerts; city-wide alerts (no district) only admins.
 */
export async function listUnresolvedAlerts(
  db: Queryable,
  districtId: string | null,
  limit = 100,
): Promise<AlertRow[]> {
  const { rows } = await db.query<AlertRow>(
    `select ${COLUMNS}
       from alerts a left join cameras c on c.id = a.camera_id
      where a.state <> 'resolved' and ($1::text is null or a.district_id = $1)
      order by a.opened_at desc
      limit $2`,
    [districtId, limit],
  );
  return rows;
}
