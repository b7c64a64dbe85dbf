-- The sender of complaint replies (docs/supervision.md): each row carries the idempotency key the receiver sees
-- on every try, when it may be tried next and how it went. A frame taken on demand from the camera matched to a
-- complaint's place is kept with the complaint, with the state of its detection.
alter table complaint_replies
  add column idempotency_key text not null default gen_random_uuid()::text unique,
  add column next_attempt_at timestamptz not null default now(),
  add column sent_via text check (sent_via is null or sent_via in ('hotline_push', 'hotline_pull', 'sms'));
create index complaint_replies_due_send_idx on complaint_replies (next_attempt_at) where sent_at is null;

create table complaint_frame_checks (
  id           uuid primary key default gen_random_uuid(),
  complaint_id uuid not null references complaints (id),
  camera_id    uuid not null references cameras (id),
  frame_id     bigint,
  status       text not null check (status in ('queued', 'failed')),
  error        text check (error is null or length(error) <= 500),
  requested_by uuid references staff_users (id),
  created_at   timestamptz not null default now()
);
create index complaint_frame_checks_complaint_idx on complaint_frame_checks (complaint_id, created_at desc);
