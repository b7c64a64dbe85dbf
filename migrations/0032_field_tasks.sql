-- Field tasks (派单): a violation whose party is unknown, or a party who could not be reached, goes to the
-- district's patrol, who records the party found on site or that the scene was corrected, with photos.
alter type violation_status add value if not exists 'awaiting_party';

create table field_tasks (
  id            uuid primary key default gen_random_uuid(),
  district_id   text not null references districts (id),
  violation_id  uuid not null references violations (id),
  reason        text not null check (reason in ('party_unknown', 'unreachable')),
  status        text not null default 'open' check (status in ('open', 'done')),
  due_on        date not null,
  requested_by  uuid references staff_users (id),
  -- the legal approval waiting for the party: the circumstances the reviewer recorded
  approval      jsonb not null default '{}',
  outcome       text check (outcome in ('party', 'corrected')),
  party_id      uuid references parties (id),
  note          text,
  -- photos taken on site: name, contentType, size, sha256, key (stored like statement attachments)
  photos        jsonb not null default '[]',
  case_id       uuid references cases (id),
  done_by       uuid references staff_users (id),
  done_at       timestamptz,
  created_at    timestamptz not null default now(),
  check ((status = 'open') = (outcome is null)),
  check (outcome is distinct from 'party' or party_id is not null)
);

create unique index field_tasks_one_open_per_violation on field_tasks (violation_id) where status = 'open';
create index field_tasks_open_by_district on field_tasks (district_id, due_on) where status = 'open';
