-- Hearings organised in the system (APL art. 64-65): who hosts and keeps the record, the party's representatives,
-- and the record the decision rests on. The hearing notice (听证通知书) is a case document issued once per case.
alter table hearings
  add column host_id        uuid references staff_users (id),
  add column clerk_id       uuid references staff_users (id),
  add column scheduled_by   uuid references staff_users (id),
  add column representatives jsonb not null default '[]',
  add column held_at        timestamptz,
  add column record_text    text,
  add column record_sha256  text check (record_sha256 ~ '^[0-9a-f]{64}$');
alter table notices drop constraint notices_kind_check;
alter table notices add constraint notices_kind_check
  check (kind in ('warning', 'advance_notice', 'decision', 'correction_order', 'payment_demand',
                  'no_penalty_decision', 'hearing_notice'));
drop index notices_one_per_case_kind;
create unique index notices_one_per_case_kind on notices (case_id, kind)
  where case_id is not null
    and kind in ('advance_notice', 'decision', 'payment_demand', 'no_penalty_decision', 'hearing_notice');
