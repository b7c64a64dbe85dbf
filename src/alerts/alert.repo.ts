import type { Pool, Queryable } from '../db/pool.js';

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

export type AlertEventName = 'opened' | 'notified' | 'notify_failed' | 'acknowledged' | 'resolved';

export interface AlertEventRow {
  id: number;
  at: Date;
  event: AlertEventName;
  actorId: string | null;
  actorName: string | null;
  detail: Record<string, unknown>;
}

export interface AlertDetailRow extends AlertRow {
  acknowledgedByName: string | null;
  resolvedByName: string | null;
}

/** The unresolved alert of each subject of one kind (the rule's evaluation compares them with what it measured). */
export async function unresolvedByKind(db: Queryable, kind: AlertKind): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; subject: string }>(
    `select id, subject from alerts where kind = $1 and state <> 'resolved'`,
    [kind],
  );
  return new Map(rows.map((r) => [r.subject, r.id]));
}

export interface NewAlert {
  kind: AlertKind;
  subject: string;
  districtId: string | null;
  cameraId: string | null;
  severity: AlertSeverity;
  detail: Record<string, unknown>;
}

/**
 * Opens an alert unless one of the same kind and subject is unresolved (the partial unique index decides, so two
 * evaluations at once still open one). Returns the new alert's id, or null when one was already there.
 */
export async function insertAlert(db: Queryable, a: NewAlert, at: Date): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `insert into alerts (kind, subject, district_id, camera_id, severity, detail, opened_at, last_seen_at)
     values ($1, $2, $3, $4, $5, $6, $7, $7)
     on conflict (kind, subject) where state <> 'resolved' do nothing
     returning id`,
    [a.kind, a.subject, a.districtId, a.cameraId, a.severity, a.detail, at],
  );
  return rows[0]?.id ?? null;
}

/** The rule still sees the condition: its latest figures and severity. */
export async function touchAlert(
  db: Queryable,
  kind: AlertKind,
  subject: string,
  severity: AlertSeverity,
  detail: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await db.query(
    `update alerts set last_seen_at = $5, severity = $3, detail = $4
      where kind = $1 and subject = $2 and state <> 'resolved'`,
    [kind, subject, severity, detail, at],
  );
}

/** Resolves an unresolved alert; false when it was resolved already. `by` is null when the rule saw it clear. */
export async function resolveAlert(db: Queryable, id: string, by: string | null, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `update alerts set state = 'resolved', resolved_at = $3, resolved_by = $2
      where id = $1 and state <> 'resolved'`,
    [id, by, at],
  );
  return (rowCount ?? 0) > 0;
}

/** Acknowledges an open alert; false when it was not open. */
export async function acknowledgeAlert(db: Queryable, id: string, by: string, at: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `update alerts set state = 'acknowledged', acknowledged_at = $3, acknowledged_by = $2
      where id = $1 and state = 'open'`,
    [id, by, at],
  );
  return (rowCount ?? 0) > 0;
}

export async function insertAlertEvent(
  db: Queryable,
  e: { alertId: string; event: AlertEventName; actorId?: string | null; detail?: Record<string, unknown> },
  at: Date,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `insert into alert_events (alert_id, event, actor_id, detail, at) values ($1, $2, $3, $4, $5)
     on conflict do nothing`,
    [e.alertId, e.event, e.actorId ?? null, e.detail ?? {}, at],
  );
  return (rowCount ?? 0) > 0;
}

export interface AlertFilter {
  /** one state, or every state but resolved */
  state?: AlertState | 'unresolved';
  kind?: AlertKind;
  cameraId?: string;
  limit: number;
}

/** Alerts a reader of `districtId` sees (null: all), newest first, filtered by state, kind and camera. */
export async function listAlerts(
  db: Queryable,
  districtId: string | null,
  f: AlertFilter,
): Promise<AlertRow[]> {
  const { rows } = await db.query<AlertRow>(
    `select ${COLUMNS}
       from alerts a left join cameras c on c.id = a.camera_id
      where ($1::text is null or a.district_id = $1)
        and ($2::text is null or a.state = $2 or ($2 = 'unresolved' and a.state <> 'resolved'))
        and ($3::text is null or a.kind = $3)
        and ($4::uuid is null or a.camera_id = $4)
      order by a.opened_at desc
      limit $5`,
    [districtId, f.state ?? null, f.kind ?? null, f.cameraId ?? null, f.limit],
  );
  return rows;
}

export async function findAlert(db: Queryable, id: string): Promise<AlertDetailRow | null> {
  const { rows } = await db.query<AlertDetailRow>(
    `select ${COLUMNS}, ak.display_name as "acknowledgedByName", rs.display_name as "resolvedByName"
       from alerts a left join cameras c on c.id = a.camera_id
       left join staff_users ak on ak.id = a.acknowledged_by
       left join staff_users rs on rs.id = a.resolved_by
      where a.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function listAlertEvents(db: Queryable, alertId: string): Promise<AlertEventRow[]> {
  const { rows } = await db.query<AlertEventRow>(
    `select e.id::int as id, e.at, e.event, e.actor_id as "actorId", s.display_name as "actorName", e.detail
       from alert_events e left join staff_users s on s.id = e.actor_id
      where e.alert_id = $1 order by e.at, e.id`,
    [alertId],
  );
  return rows;
}

export interface NoticeDue extends AlertRow {
  districtName: string | null;
  /** `channel/phase` of every notice sent */
  notified: string[];
  /** `channel/phase` of every failed try, once per try */
  failed: string[];
}

/**
 * Alerts whose notices may still be due: every unresolved alert, and those resolved in the last day (their
 * resolution notice). The evaluation sends what `notified` does not hold yet.
 */
export async function alertsWithNotices(db: Queryable, now: Date, limit = 500): Promise<NoticeDue[]> {
  const { rows } = await db.query<NoticeDue>(
    `select ${COLUMNS}, d.name as "districtName",
            coalesce(array_agg(e.detail ->> 'channel' || '/' || (e.detail ->> 'phase'))
                       filter (where e.event = 'notified'), '{}') as notified,
            coalesce(array_agg(e.detail ->> 'channel' || '/' || (e.detail ->> 'phase'))
                       filter (where e.event = 'notify_failed'), '{}') as failed
       from alerts a left join cameras c on c.id = a.camera_id
       left join districts d on d.id = a.district_id
       left join alert_events e on e.alert_id = a.id and e.event in ('notified', 'notify_failed')
      where a.state <> 'resolved' or a.resolved_at > $1::timestamptz - interval '1 day'
      group by a.id, c.name, d.name
      order by a.opened_at
      limit $2`,
    [now, limit],
  );
  return rows;
}

export interface AlertRecipient {
  id: string;
  phone: string | null;
  email: string | null;
  lang: 'zh' | 'en';
}

/**
 * Who is told of a district's alerts: its active district staff, agency heads and leaders with a phone or an
 * e-mail address; of a city-wide alert (no district), the active admins.
 */
export async function alertRecipients(db: Queryable, districtId: string | null): Promise<AlertRecipient[]> {
  const { rows } = await db.query<AlertRecipient>(
    `select id, phone, email, lang from staff_users
      where active and (phone is not null or email is not null)
        and (case when $1::text is null then role = 'admin'
                  else district_id = $1 and role in ('district_staff', 'agency_head', 'leader') end)
      order by username`,
    [districtId],
  );
  return rows;
}

/** Held while one process sends alert notices, so that two sweeps at once never send the same notice twice. */
const NOTICE_LOCK_KEY = 7_310_420_190;

/**
 * Runs `fn` holding the notice lock (a session advisory lock, freed if the process dies), or returns null at
 * once when another process holds it: that one sends what is due.
 */
export async function withNoticeLock<T>(pool: Pool, fn: () => Promise<T>): Promise<T | null> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [
      NOTICE_LOCK_KEY,
    ]);
    if (!rows[0]?.ok) return null;
    try {
      return await fn();
    } finally {
      await client.query('select pg_advisory_unlock($1)', [NOTICE_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}
