-- Risk-graded supervision of street shops (分级分类监管): each shop (a unit party) carries a risk level, shown red /
-- yellow / green, with its history; inspections per level's cycle (default high 2 working days, medium 1 week, low
-- 1 month), recorded in the field with photos. The rules are versioned files (config/shop-risk/), see
-- docs/supervision.md.
create table shop_risk (
  party_id          uuid primary key references parties (id),
  district_id       text not null references districts (id),
  level             text not null check (level in ('high', 'medium', 'low')),
  level_since       timestamptz not null,
  rules_version     text not null,
  -- the last on-site inspection (the cycle runs from it, or from level_since before the first)
  last_inspected_at timestamptz,
  last_outcome      text check (last_outcome in ('compliant', 'problem')),
  last_notes        text,
  next_due_on       date not null,
  -- the order of the shops page: high risk first
  level_rank        smallint generated always as (case level when 'high' then 0 when 'medium' then 1 else 2 end) stored,
  updated_at        timestamptz not null default now()
);
create index shop_risk_due_idx on shop_risk (district_id, next_due_on, level);
create index shop_risk_level_idx on shop_risk (district_id, level);
create index shop_risk_rank_idx on shop_risk (district_id, level_rank, next_due_on, party_id);

-- Shops registered and not yet given their initial level (which the rules of the district decide, in the
-- application): a trigger notes each new unit party here, so finding them never scans the register.
create table shop_risk_pending (
  party_id uuid primary key references parties (id)
);
insert into shop_risk_pending (party_id) select id from parties where kind = 'unit';
create function shop_risk_note_new_shop() returns trigger language plpgsql as $$
begin
  insert into shop_risk_pending (party_id) values (new.id) on conflict do nothing;
  return null;
end $$;
create trigger parties_new_shop after insert on parties
  for each row when (new.kind = 'unit') execute function shop_risk_note_new_shop();

-- Every change of level: what or who changed it (a rule with its version, or a member of staff), when and why.
create table shop_risk_history (
  id            bigint generated always as identity primary key,
  party_id      uuid not null references parties (id),
  district_id   text not null references districts (id),
  from_level    text check (from_level in ('high', 'medium', 'low')),
  to_level      text not null check (to_level in ('high', 'medium', 'low')),
  source        text not null check (source in ('initial', 'rule', 'manual')),
  rule          text,
  rules_version text,
  reason        text not null check (length(reason) between 1 and 500),
  subject_kind  text,
  subject_id    text,
  changed_by    uuid references staff_users (id),
  at            timestamptz not null default now(),
  check ((source = 'manual') = (changed_by is not null))
);
create index shop_risk_history_party_idx on shop_risk_history (party_id, at desc, id desc);

-- The events the rules have taken into account (a case filed, a complaint substantiated), once each.
create table shop_risk_events (
  party_id     uuid not null references parties (id),
  subject_kind text not null check (subject_kind in ('case', 'complaint')),
  subject_id   uuid not null,
  applied_at   timestamptz not null default now(),
  primary key (subject_kind, subject_id, party_id)
);

create table shop_inspections (
  id           uuid primary key default gen_random_uuid(),
  party_id     uuid not null references parties (id),
  district_id  text not null references districts (id),
  level        text not null check (level in ('high', 'medium', 'low')),
  outcome      text not null check (outcome in ('compliant', 'problem')),
  notes        text not null default '' check (length(notes) <= 2000),
  inspected_at timestamptz not null,
  inspected_on date not null,
  inspected_by uuid not null references staff_users (id),
  created_at   timestamptz not null default now(),
  check (outcome = 'compliant' or length(notes) > 0)
);
create index shop_inspections_party_idx on shop_inspections (party_id, inspected_at desc);

-- Photos taken at an inspection: content-addressed in the blob store, hashed like evidence.
create table shop_inspection_photos (
  id            uuid primary key default gen_random_uuid(),
  inspection_id uuid not null references shop_inspections (id),
  storage_key   text not null,
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text not null check (content_type in ('image/jpeg', 'image/png')),
  byte_size     integer not null check (byte_size > 0),
  name          text not null
);
create index shop_inspection_photos_idx on shop_inspection_photos (inspection_id);

-- The count of shops at each level per district and day, kept by every change of level in its transaction:
-- the share of low-risk shops over time is read from here, never recomputed from the history.
create table shop_level_daily (
  district_id text not null references districts (id),
  on_date     date not null,
  high        integer not null default 0 check (high >= 0),
  medium      integer not null default 0 check (medium >= 0),
  low         integer not null default 0 check (low >= 0),
  primary key (district_id, on_date)
);

-- The rules look for cases filed against a shop (a confirmed violation) by district and time.
create index cases_district_filed_idx on cases (district_id, filed_at);
create index complaints_substantiated_idx on complaints (district_id, outcome_at) where status = 'substantiated';
