-- The demand to pay (催告书) before an unpaid fine goes to the court (Administrative Compulsion Law art. 35, 54):
-- a case notice like the advance notice and the decision, issued once per case.
alter table notices drop constraint notices_kind_check;
alter table notices add constraint notices_kind_check
  check (kind in ('warning', 'advance_notice', 'decision', 'correction_order', 'payment_demand'));
drop index notices_one_per_case_kind;
create unique index notices_one_per_case_kind on notices (case_id, kind)
  where case_id is not null and kind in ('advance_notice', 'decision', 'payment_demand');
