-- The designated window (Pudong art. 12): a statement taken there is recorded by the member of staff who took it.
alter table statements
  add column channel  text not null default 'portal' check (channel in ('portal', 'window')),
  add column taken_by uuid references staff_users (id),
  add constraint statements_window_taken_by check (channel = 'portal' or taken_by is not null);

-- A fine paid at the designated bank (APL art. 67 para. 3), at its branch or its counter in the service hall,
-- recorded by staff from the bank's receipt; the bureau itself never takes the money (art. 67 para. 2).
alter table payments
  add column channel        text not null default 'online' check (channel in ('online', 'counter', 'bank')),
  add column receipt_number text,
  add column recorded_by    uuid references staff_users (id),
  add column paid_on        date,
  add constraint payments_offline_recorded check (
    channel = 'online' or (receipt_number is not null and recorded_by is not null and paid_on is not null));
-- One bank receipt pays one fine: the same receipt recorded twice is refused.
create unique index payments_receipt_number_idx on payments (receipt_number) where receipt_number is not null;
