-- The rules stage writes each confirmed violation here (an outbox) in the same transaction as its camera state;
-- the evidence stage packages it and then writes the violation, its evidence and its review task in one go.
create table violation_candidates (
  dedupe_key     text primary key,
  camera_id      uuid not null references cameras (id),
  zone_id        uuid,
  camera_version integer not null,
  rule           text not null,
  party_id       uuid references parties (id),
  event          jsonb not null,
  status         text not null default 'pending' check (status in ('pending', 'warned', 'packaged', 'corrected', 'skipped')),
  skip_reason    text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index violation_candidates_pending_idx on violation_candidates (created_at) where status = 'pending';

-- Frames that prove a violation are kept past the frame retention until the evidence stage has copied them.
create index frames_camera_seq_idx on frames (camera_id, seq);
