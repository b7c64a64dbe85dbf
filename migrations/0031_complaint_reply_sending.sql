-- The sender of complaint replies (docs/supervision.md): each row carries the idempotency key the receiver sees
-- on every try, when it may be tried next and how it went.
alter table complaint_replies
  add column idempotency_key text not null default gen_random_uuid()::text unique,
  add column next_attempt_at timestamptz not null default now(),
  add column sent_via text check (sent_via is null or sent_via in ('hotline_push', 'hotline_pull', 'sms'));
create index complaint_replies_due_send_idx on complaint_replies (next_attempt_at) where sent_at is null;
