-- Cases after filing: issued documents, delivery over online channels, the citizen portal and payments.

-- An issued document keeps both sealed renderings: the PDF of record (document_key, document_sha256,
-- seal_signature) and the HTML the portal shows, with the full seal records for each.
alter table notices
  add column html_key   text,
  add column seal       jsonb,
  add column issued_on  date;
-- A case gets one advance notice and one decision: a retried or concurrent sweep cannot issue a second.
create unique index notices_one_per_case_kind on notices (case_id, kind)
  where case_id is not null and kind in ('advance_notice', 'decision');
create index notices_case_idx on notices (case_id);

-- Portal links. Each delivery mints its own random token at send time and only its SHA-256 is stored, so the
-- database never holds a usable link; a notice may have several live tokens (one per channel and attempt).
create table portal_tokens (
  token_hash  bytea primary key,
  notice_id   uuid not null references notices (id),
  delivery_id uuid references deliveries (id),
  expires_at  timestamptz not null,
  created_at  timestamptz not null default now()
);
create index portal_tokens_notice_idx on portal_tokens (notice_id);

-- A party's portal session after the second factor: scoped to the link it was opened from.
create table portal_sessions (
  id_hash    bytea primary key,
  token_hash bytea not null,
  notice_id  uuid not null references notices (id),
  case_id    uuid references cases (id),
  party_id   uuid references parties (id),
  ip         text,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index portal_sessions_expiry_idx on portal_sessions (expires_at);

-- Where a delivery went and what the provider said, kept for the delivery record (APL art. 47).
alter table deliveries
  add column address             text,
  add column provider_message_id text,
  add column sent_at             timestamptz,
  add column delivered_at        timestamptz;
create unique index deliveries_provider_message_idx on deliveries (channel, provider_message_id)
  where provider_message_id is not null;
create index deliveries_pending_idx on deliveries (created_at) where status = 'pending';

-- App push needs the party's registration id in the bureau's app, recorded together with the consent.
alter table parties add column push_address text;

-- Deadline flags (at risk, missed, reminder) as last computed, and the day the sweep last looked at the case.
alter table cases
  add column flags    jsonb not null default '[]',
  add column swept_on date;
create index cases_sweep_idx on cases (swept_on) where status <> 'closed';

-- A payment order carries the day its amount was computed for: the late fee changes with the day.
alter table payments
  add column due_on       date,
  add column redirect_url text;
create index payments_case_idx on payments (case_id);

create index statements_pending_idx on statements (case_id) where review_status = 'pending';
