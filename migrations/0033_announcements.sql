-- Service by public announcement (公告送达, Shanghai urban-management enforcement regulation art. 25): published
-- on the public page when the other means failed; served once sixty days have passed.
alter table deliveries drop constraint deliveries_channel_check;
alter table deliveries add constraint deliveries_channel_check
  check (channel in ('sms', 'push', 'email', 'postal', 'announcement'));

create table announcements (
  id            uuid primary key default gen_random_uuid(),
  case_id       uuid not null references cases (id),
  district_id   text not null references districts (id),
  notice_id     uuid not null unique references notices (id),
  notice_kind   text not null,
  published_at  timestamptz not null default now(),
  published_on  date not null,
  effective_on  date not null check (effective_on > published_on),
  -- what the public page shows: the masked party name and the document's essentials, fixed when published
  party_masked  text not null,
  essentials    jsonb not null,
  published_by  uuid not null references staff_users (id),
  served_at     timestamptz
);

create index announcements_waiting on announcements (effective_on) where served_at is null;
create index announcements_published on announcements (published_at desc);
