-- The rules engine numbers violations from the camera's stored state; if that state is ever started afresh the
-- numbers start again. The epoch changes with every new state row and is part of each violation's dedupe key, so
-- a new state never collides with violations an earlier one recorded.
alter table camera_rule_state add column epoch uuid not null default gen_random_uuid();

-- Everything the rules say about a confirmed violation is kept on its outbox row, whatever the order in which
-- the evidence stage gets to it: the end of the scene, the warn-first re-check due time, and its outcome.
alter table violation_candidates
  add column violation_id    uuid references violations (id),
  add column ended_at        timestamptz,
  add column end_reason      text,
  add column recheck_at      timestamptz,
  -- unchecked: the re-check could not be made (no frame from the camera after the grace period)
  add column recheck_outcome text check (recheck_outcome in ('corrected', 'escalate', 'withdrawn', 'unchecked')),
  add column recheck_event   jsonb,
  drop constraint violation_candidates_status_check,
  add constraint violation_candidates_status_check
    check (status in ('pending', 'warned', 'packaged', 'corrected', 'escalated', 'withdrawn', 'skipped'));

-- Warned candidates whose re-check outcome is known but not yet acted on are swept up after a crash.
create index violation_candidates_warned_idx on violation_candidates (created_at) where status = 'warned';

-- One correction warning per violation, however often a retried job tries to write it.
create unique index notices_one_warning_per_violation on notices (violation_id) where kind = 'warning';

-- Frame retention looks frames up by content hash (a still scene stores one blob for many frames).
create index frames_sha256_idx on frames (sha256);
