-- Entries recorded without the audit chain's lock (a party's views of the portal), moved into audit_log in id
-- order, in batches, under the lock. A row here is committed before the page it records is served.
create table audit_outbox (
  id           bigint generated always as identity primary key,
  at           timestamptz not null,
  actor_kind   text not null check (actor_kind in ('staff', 'party', 'system')),
  actor_id     text,
  action       text not null,
  subject_kind text,
  subject_id   text,
  district_id  text,
  data         jsonb not null default '{}'
);
