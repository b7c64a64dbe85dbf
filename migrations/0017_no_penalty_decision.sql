-- A case the legal review finds warrants no penalty (APL art. 33) ends with its own sealed decision (不予行政处罚决定书),
-- issued once per case like the other case documents.
alter table notices drop constraint notices_kind_check;
alter table notices add constraint notices_kind_check
  check (kind in ('warning', 'advance_notice', 'decision', 'correction_order', 'payment_demand', 'no_penalty_decision'));
drop index notices_one_per_case_kind;
create unique index notices_one_per_case_kind on notices (case_id, kind)
  where case_id is not null and kind in ('advance_notice', 'decision', 'payment_demand', 'no_penalty_decision');
