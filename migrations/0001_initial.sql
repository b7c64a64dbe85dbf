-- The first schema: the whole domain as far as it is known now. Later changes are new numbered files;
-- this file is never edited once applied.

-- Districts scope staff, cameras, parties, violations and cases.
create table districts (
  id          text primary key check (id ~ '^[a-z][a-z0-9_-]{1,31}$'),
  name        text not null,
  -- short code used in case numbers, e.g. 浦 for Pudong
  case_prefix text not null,
  -- single-stage review skips the evidence stage
  review_mode text not null default 'two_stage' check (review_mode in ('two_stage', 'single_stage')),
  created_at  timestamptz not null default now()
);

create type staff_role as enum ('admin', 'district_staff', 'evidence_reviewer', 'legal_reviewer');

create table staff_users (
  id            uuid primary key default gen_random_uuid(),
  username      text not null unique check (username ~ '^[a-zA-Z0-9_.-]{3,64}$'),
  display_name  text not null,
  password_hash text not null,
  role          staff_role not null,
  -- admins act across districts; everyone else belongs to exactly one
  district_id   text references districts (id),
  active        boolean not null default true,
  created_at    timestamptz not null default now(),
  check (role = 'admin' or district_id is not null)
);

-- Only the SHA-256 of a session token is stored, so a read of this table gives no usable session.
create table staff_sessions (
  token_hash   bytea primary key,
  user_id      uuid not null references staff_users (id) on delete cascade,
  created_at   timestamptz not null default now(),
  expires_at   timestamptz not null,
  last_seen_at timestamptz not null default now(),
  ip           text,
  user_agent   text
);
create index staff_sessions_user_idx on staff_sessions (user_id);

-- Cameras and the device register (Pudong art. 7; APL art. 41).
create table cameras (
  id                    uuid primary key default gen_random_uuid(),
  district_id           text not null references districts (id),
  name                  text not null,
  address               text not null default '',
  latitude              double precision check (latitude between -90 and 90),
  longitude             double precision check (longitude between -180 and 180),
  source                jsonb not null,
  sample_interval_s     integer not null default 5 check (sample_interval_s between 1 and 3600),
  schedule              jsonb not null default '{"always": true}',
  enabled               boolean not null default true,
  rules                 jsonb not null default '{}',
  version               integer not null default 1,
  certificate_id        text,
  legal_review_date     date,
  legal_reviewer        text,
  technical_review_date date,
  technical_reviewer    text,
  published             boolean not null default false,
  published_at          timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create index cameras_district_idx on cameras (district_id);

create table zones (
  id          uuid primary key default gen_random_uuid(),
  camera_id   uuid not null references cameras (id),
  name        text not null,
  kind        text not null check (kind in ('no_stall', 'shop_front', 'dumping_spot', 'ignore')),
  definition  jsonb not null,
  enabled     boolean not null default true,
  deleted_at  timestamptz,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index zones_camera_idx on zones (camera_id) where deleted_at is null;

-- Every change to a camera or its zones writes a full snapshot here; frames and decisions name the version.
create table camera_versions (
  camera_id  uuid not null references cameras (id),
  version    integer not null,
  config     jsonb not null,
  changed_by uuid references staff_users (id),
  created_at timestamptz not null default now(),
  primary key (camera_id, version)
);

create table device_records (
  id           uuid primary key default gen_random_uuid(),
  camera_id    uuid not null references cameras (id),
  kind         text not null check (kind in ('maintenance', 'test', 'calibration', 'legal_review', 'technical_review')),
  performed_at timestamptz not null,
  performed_by text not null,
  result       text not null check (result in ('pass', 'fail', 'info')),
  notes        text not null default '',
  recorded_by  uuid references staff_users (id),
  created_at   timestamptz not null default now()
);
create index device_records_camera_idx on device_records (camera_id, performed_at desc);

create table camera_health (
  camera_id      uuid primary key references cameras (id),
  status         text not null default 'offline' check (status in ('online', 'stale', 'offline', 'failing')),
  last_frame_at  timestamptz,
  last_error     text,
  last_error_at  timestamptz,
  frames_total   bigint not null default 0,
  drops_total    bigint not null default 0,
  errors_total   bigint not null default 0,
  updated_at     timestamptz not null default now()
);

-- Frames: content-addressed blobs; rows are short-lived unless they become evidence.
create table frames (
  id             bigint generated always as identity primary key,
  camera_id      uuid not null references cameras (id),
  seq            bigint not null,
  captured_at    timestamptz not null,
  sha256         text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key    text not null,
  width          integer not null,
  height         integer not null,
  byte_size      integer not null,
  camera_version integer not null,
  status         text not null default 'queued' check (status in ('queued', 'detected', 'dropped', 'failed')),
  evidence       boolean not null default false,
  created_at     timestamptz not null default now(),
  unique (camera_id, seq)
);
create index frames_retention_idx on frames (created_at) where evidence = false;

create table detections (
  frame_id     bigint primary key references frames (id) on delete cascade,
  model_name   text not null,
  model_sha256 text not null,
  items        jsonb not null,
  timings      jsonb not null default '{}',
  created_at   timestamptz not null default now()
);

-- Rules state per camera (tracks, ongoing violations, background model), applied in frame order.
create table camera_rule_state (
  camera_id  uuid primary key references cameras (id),
  last_seq   bigint not null,
  state      jsonb not null,
  updated_at timestamptz not null default now()
);

-- Parties: shops (units) and persons.
create table parties (
  id                      uuid primary key default gen_random_uuid(),
  district_id             text not null references districts (id),
  kind                    text not null check (kind in ('person', 'unit')),
  name                    text not null,
  -- unified social credit code for units, ID number for persons
  id_number               text not null,
  phone                   text,
  email                   text,
  address                 text not null default '',
  online_delivery_consent boolean not null default false,
  consent_recorded_at     timestamptz,
  consent_channel         text,
  created_at              timestamptz not null default now(),
  unique (district_id, id_number)
);

create type violation_status as enum (
  'open',            -- being watched, not yet confirmed
  'warned',          -- warn-first notice sent, waiting for the re-check
  'corrected',       -- cleared within the grace period: no penalty
  'pending_review',
  'approved',
  'rejected',
  'more_evidence',
  'closed'
);

create table violations (
  id              uuid primary key default gen_random_uuid(),
  district_id     text not null references districts (id),
  camera_id       uuid not null references cameras (id),
  zone_id         uuid references zones (id),
  camera_version  integer not null,
  rule            text not null,
  violation_type  text not null,
  status          violation_status not null,
  party_id        uuid references parties (id),
  first_seen_at   timestamptz not null,
  confirmed_at    timestamptz not null,
  ended_at        timestamptz,
  -- the rules engine's id for the ongoing violation: a retried job finds the row it already wrote
  dedupe_key      text not null unique,
  model_name      text,
  model_sha256    text,
  manifest_key    text,
  manifest_sha256 text,
  details         jsonb not null default '{}',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index violations_district_status_idx on violations (district_id, status, created_at);
create index violations_party_idx on violations (party_id, created_at);
create index violations_camera_idx on violations (camera_id, created_at);

create table evidence_items (
  id           uuid primary key default gen_random_uuid(),
  violation_id uuid not null references violations (id),
  kind         text not null check (kind in ('original', 'annotated', 'crop', 'manifest')),
  frame_id     bigint references frames (id),
  storage_key  text not null unique,
  sha256       text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type text not null,
  byte_size    integer not null,
  captured_at  timestamptz,
  label        text not null default '',
  created_at   timestamptz not null default now()
);
create index evidence_items_violation_idx on evidence_items (violation_id);

-- Human review is a state machine with leases, not a queue job.
create table review_tasks (
  id               uuid primary key default gen_random_uuid(),
  violation_id     uuid not null references violations (id),
  district_id      text not null references districts (id),
  stage            text not null check (stage in ('evidence', 'legal')),
  status           text not null default 'open' check (status in ('open', 'claimed', 'done', 'cancelled')),
  priority         integer not null default 0,
  violation_type   text not null,
  camera_id        uuid not null references cameras (id),
  claimed_by       uuid references staff_users (id),
  lease_expires_at timestamptz,
  decision         text check (decision in ('approve', 'reject', 'more_evidence')),
  reason_code      text,
  reason_text      text,
  decided_by       uuid references staff_users (id),
  decided_at       timestamptz,
  created_at       timestamptz not null default now(),
  unique (violation_id, stage)
);
create index review_tasks_queue_idx on review_tasks (district_id, stage, priority desc, created_at)
  where status in ('open', 'claimed');

-- Gap-free case numbers: one counter row per district and year, taken under a row lock.
create table case_counters (
  district_id text not null references districts (id),
  year        integer not null,
  last_seq    integer not null default 0,
  primary key (district_id, year)
);

create table cases (
  id                uuid primary key default gen_random_uuid(),
  district_id       text not null references districts (id),
  year              integer not null,
  seq               integer not null,
  case_number       text not null unique,
  violation_id      uuid not null unique references violations (id),
  party_id          uuid references parties (id),
  violation_type    text not null,
  catalogue_version text not null,
  status            text not null,
  proposed_fine_fen bigint not null check (proposed_fine_fen >= 0),
  final_fine_fen    bigint check (final_fine_fen >= 0),
  benchmark         jsonb not null,
  deadlines         jsonb not null,
  filed_at          timestamptz not null,
  decided_at        timestamptz,
  closed_at         timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  unique (district_id, year, seq)
);
create index cases_district_status_idx on cases (district_id, status);

create table case_events (
  id         bigint generated always as identity primary key,
  case_id    uuid not null references cases (id),
  kind       text not null,
  from_state text,
  to_state   text,
  data       jsonb not null default '{}',
  actor      text not null,
  at         timestamptz not null default now()
);
create index case_events_case_idx on case_events (case_id, id);

create table notices (
  id               uuid primary key default gen_random_uuid(),
  case_id          uuid references cases (id),
  violation_id     uuid references violations (id),
  party_id         uuid references parties (id),
  kind             text not null check (kind in ('warning', 'advance_notice', 'decision', 'correction_order')),
  document_key     text,
  document_sha256  text,
  seal_signature   text,
  -- the portal link carries a random token; only its hash is kept
  token_hash       bytea unique,
  token_expires_at timestamptz,
  acknowledged_at  timestamptz,
  created_at       timestamptz not null default now(),
  check (case_id is not null or violation_id is not null)
);

create table deliveries (
  id            uuid primary key default gen_random_uuid(),
  notice_id     uuid not null references notices (id),
  channel       text not null check (channel in ('sms', 'push', 'email', 'postal')),
  status        text not null default 'pending' check (status in ('pending', 'sent', 'delivered', 'failed', 'fallback')),
  attempts      integer not null default 0,
  last_error    text,
  receipt       jsonb,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index deliveries_notice_idx on deliveries (notice_id);

create table statements (
  id            uuid primary key default gen_random_uuid(),
  case_id       uuid not null references cases (id),
  body          text not null,
  attachments   jsonb not null default '[]',
  submitted_at  timestamptz not null default now(),
  review_status text not null default 'pending' check (review_status in ('pending', 'accepted', 'partly_accepted', 'rejected')),
  reviewed_by   uuid references staff_users (id),
  reviewed_at   timestamptz,
  outcome       jsonb
);

create table hearings (
  id           uuid primary key default gen_random_uuid(),
  case_id      uuid not null unique references cases (id),
  requested_at timestamptz not null default now(),
  status       text not null default 'requested' check (status in ('requested', 'scheduled', 'held', 'withdrawn')),
  scheduled_at timestamptz,
  place        text,
  outcome      jsonb
);

create table payments (
  id               uuid primary key default gen_random_uuid(),
  case_id          uuid not null references cases (id),
  amount_fen       bigint not null check (amount_fen > 0),
  fine_fen         bigint not null,
  late_fee_fen     bigint not null default 0,
  status           text not null default 'pending' check (status in ('pending', 'paid', 'failed', 'expired')),
  gateway          text not null,
  gateway_order_id text not null unique,
  gateway_txn_id   text unique,
  paid_at          timestamptz,
  receipt          jsonb,
  created_at       timestamptz not null default now()
);
-- At most one settled payment per case.
create unique index payments_one_paid_per_case on payments (case_id) where status = 'paid';

-- Every gateway callback is kept, accepted or not; the event id makes a replay a no-op.
create table payment_callbacks (
  id           bigint generated always as identity primary key,
  gateway      text not null,
  event_id     text not null,
  payload      jsonb not null,
  signature_ok boolean not null,
  outcome      text not null,
  received_at  timestamptz not null default now(),
  unique (gateway, event_id)
);

-- The whole-process record (APL art. 47): append-only, each row chained to the one before by SHA-256.
create table audit_log (
  id           bigint generated always as identity primary key,
  at           timestamptz not null default now(),
  actor_kind   text not null check (actor_kind in ('staff', 'party', 'system')),
  actor_id     text,
  action       text not null,
  subject_kind text,
  subject_id   text,
  district_id  text,
  data         jsonb not null default '{}',
  prev_hash    text not null,
  hash         text not null unique
);
create index audit_log_subject_idx on audit_log (subject_kind, subject_id);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only (% refused)', tg_op;
end $$;

create trigger audit_log_append_only
  before update or delete on audit_log
  for each row execute function audit_log_refuse_change();

create trigger audit_log_no_truncate
  before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
