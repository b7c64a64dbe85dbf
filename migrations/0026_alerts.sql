-- Alerts (告警): something staff must look at, raised by a rule and kept until it is resolved.
--   kind       which rule raised it (docs/statistics.md lists them with their thresholds)
--   subject    what it is about, as a stable key: 'camera:<uuid>', 'camera:<uuid>:rule:<rule>', 'queue:<name>',
--              'district:<id>:backlog', 'detector'. One alert is open per (kind, subject) at a time, so a condition
--              that persists is never raised (or notified) twice; when it clears the alert is resolved, and a
--              later recurrence opens a new alert.
--   district_id null for city-wide alerts (a queue, the detector), which admins see.
create table alerts (
  id              uuid primary key default gen_random_uuid(),
  kind            text not null check (kind in ('camera_offline', 'capture_volume', 'false_positive_rate',
                                                 'review_backlog', 'queue_stalled', 'detector_failing')),
  subject         text not null check (length(subject) between 1 and 200),
  district_id     text references districts (id),
  camera_id       uuid references cameras (id),
  severity        text not null default 'warning' check (severity in ('info', 'warning', 'critical')),
  state           text not null default 'open' check (state in ('open', 'acknowledged', 'resolved')),
  -- the figures that raised it (the measured value, the threshold or baseline), shown on the alert's page
  detail          jsonb not null default '{}'::jsonb,
  opened_at       timestamptz not null default now(),
  -- the last time the rule still saw the condition
  last_seen_at    timestamptz not null default now(),
  acknowledged_at timestamptz,
  acknowledged_by uuid references staff_users (id),
  resolved_at     timestamptz,
  -- null when the rule saw the condition clear by itself
  resolved_by     uuid references staff_users (id),
  check ((state = 'resolved') = (resolved_at is not null)),
  check (state = 'open' or acknowledged_at is not null or state = 'resolved')
);
create unique index alerts_one_unresolved_idx on alerts (kind, subject) where state <> 'resolved';
create index alerts_district_idx on alerts (district_id, state, opened_at desc);
create index alerts_camera_idx on alerts (camera_id, opened_at desc) where camera_id is not null;

-- The history of an alert: raised, notified (per channel), acknowledged, resolved.
create table alert_events (
  id         bigserial primary key,
  alert_id   uuid not null references alerts (id),
  at         timestamptz not null default now(),
  event      text not null check (event in ('opened', 'notified', 'notify_failed', 'acknowledged', 'resolved')),
  actor_id   uuid references staff_users (id),
  detail     jsonb not null default '{}'::jsonb
);
create index alert_events_alert_idx on alert_events (alert_id, at);
