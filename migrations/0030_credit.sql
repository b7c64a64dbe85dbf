-- Credit publication (信用公示) and repair (信用修复). APL art. 48: decisions with a certain social impact are
-- published; a published decision changed or revoked is withdrawn within three days with the reason given in
-- public. Shanghai social credit regulation art. 37-38: revoked information is deleted, and a repaired item
-- leaves the public query interface within three working days. What is public is fixed when published: the
-- party's name and number as shown (an individual's masked), never the register's clear values.
create table credit_items (
  id               uuid primary key default gen_random_uuid(),
  case_id          uuid not null unique references cases (id),
  district_id      text not null references districts (id),
  party_id         uuid references parties (id),
  party_kind       text not null check (party_kind in ('person', 'unit')),
  shown_name       text not null check (length(shown_name) between 1 and 200),
  shown_code       text not null check (length(shown_code) between 1 and 64),
  case_number      text not null,
  violation_type   text not null,
  matter           text not null,
  basis            text not null,
  fine_fen         bigint not null check (fine_fen >= 0),
  decided_on       date not null,
  rules_version    text not null,
  publish_from     date not null,
  publish_until    date not null check (publish_until >= publish_from),
  status           text not null default 'published' check (status in ('published', 'withdrawn', 'repaired')),
  -- withdrawal (APL art. 48) or repair removal (SH credit reg. art. 38): when, why, and by when it was due
  removed_at       timestamptz,
  removed_on       date,
  removal_reason   text check (removal_reason is null or length(removal_reason) between 1 and 2000),
  removal_due_on   date,
  published_at     timestamptz not null default now(),
  check ((status = 'published') = (removed_at is null)),
  check ((status = 'published') = (removal_reason is null))
);
create index credit_items_public_idx on credit_items (publish_from desc) where status = 'published';
create index credit_items_district_idx on credit_items (district_id, published_at desc);

create table credit_repairs (
  id              uuid primary key default gen_random_uuid(),
  item_id         uuid not null references credit_items (id),
  district_id     text not null references districts (id),
  source          text not null check (source in ('portal', 'staff')),
  -- a replay of the same application (same key) answers the first one
  request_key     text not null unique check (length(request_key) between 8 and 128),
  reason          text not null check (length(reason) between 1 and 2000),
  status          text not null default 'pending' check (status in ('pending', 'granted', 'refused')),
  decision_note   text check (decision_note is null or length(decision_note) <= 2000),
  decided_by      uuid references staff_users (id),
  decided_at      timestamptz,
  decided_on      date,
  removal_due_on  date,
  created_by      uuid references staff_users (id),
  created_at      timestamptz not null default now(),
  check ((status = 'pending') = (decided_at is null))
);
-- one application at a time per item
create unique index credit_repairs_pending_idx on credit_repairs (item_id) where status = 'pending';
create index credit_repairs_district_idx on credit_repairs (district_id, created_at desc);

-- Batches handed to the public credit platform (file or HTTP push): the cursor is the last change a batch carried.
create table credit_exports (
  id           bigint generated always as identity primary key,
  batch_id     text not null unique,
  channel      text not null check (channel in ('file', 'http')),
  records      integer not null check (records >= 0),
  cursor_at    timestamptz not null,
  reference    text not null,
  sent_at      timestamptz not null default now()
);
