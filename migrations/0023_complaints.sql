-- Complaints and reports (诉件 / 举报) from the city hotline (12345) and from staff. The Shanghai urban-management
-- enforcement regulation art. 26: check each report, tell the reporter the result within five working days, or,
-- where it is another department's matter, explain and pass it on within three working days; keep the reporter's
-- identity confidential.
create table complaints (
  id                  uuid primary key default gen_random_uuid(),
  district_id         text not null references districts (id),
  source              text not null check (source in ('hotline', 'staff')),
  -- the hotline's own complaint number: a second delivery of the same number is the same complaint
  hotline_number      text unique check (hotline_number is null or length(hotline_number) between 1 and 64),
  hotline_received_at timestamptz,
  received_at         timestamptz not null,
  received_on         date not null,
  place_text          text not null check (length(place_text) between 1 and 500),
  latitude            double precision check (latitude between -90 and 90),
  longitude           double precision check (longitude between -180 and 180),
  matched_camera_id   uuid references cameras (id),
  matched_zone_id     uuid references zones (id),
  matched_party_id    uuid references parties (id),
  match_method        text not null check (match_method in ('coordinates', 'address', 'none')),
  -- repeated complaints about one place share a group: the id of the first complaint of the group
  place_key           text not null,
  group_id            uuid not null,
  content             text not null check (length(content) between 1 and 4000),
  -- the reporter's identity, shown in clear only to the roles that must contact them (docs/supervision.md)
  reporter_name       text check (reporter_name is null or length(reporter_name) <= 100),
  reporter_phone      text check (reporter_phone is null or reporter_phone ~ '^\+?[0-9]{3,20}$'),
  reply_due_on        date not null,
  transfer_due_on     date not null,
  status              text not null default 'open'
                      check (status in ('open', 'substantiated', 'not_substantiated', 'transferred')),
  outcome_note        text check (outcome_note is null or length(outcome_note) <= 2000),
  transfer_department text check (transfer_department is null or length(transfer_department) between 1 and 200),
  outcome_at          timestamptz,
  outcome_on          date,
  outcome_by          uuid references staff_users (id),
  created_by          uuid references staff_users (id),
  created_at          timestamptz not null default now(),
  check ((status = 'transferred') = (transfer_department is not null)),
  check ((status = 'open') = (outcome_at is null)),
  check ((latitude is null) = (longitude is null))
);
create index complaints_district_open_idx on complaints (district_id, reply_due_on) where status = 'open';
create index complaints_group_idx on complaints (group_id);
create index complaints_place_idx on complaints (district_id, place_key, received_at);

-- The outcome told back: one row per complaint, to the hotline system (which tells the reporter) or, for a
-- complaint taken by staff with a phone number, to the reporter directly. A sender marks rows sent.
create table complaint_replies (
  id            uuid primary key default gen_random_uuid(),
  complaint_id  uuid not null unique references complaints (id),
  recipient     text not null check (recipient in ('hotline', 'reporter')),
  payload       jsonb not null,
  due_on        date not null,
  created_at    timestamptz not null default now(),
  sent_at       timestamptz,
  attempts      integer not null default 0,
  last_error    text
);
create index complaint_replies_unsent_idx on complaint_replies (created_at) where sent_at is null;
