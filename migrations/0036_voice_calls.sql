-- Voice calls for the warning (Pudong art. 15: "应当通过短信告知或者语音电话等方式进行劝阻教育，责令及时改正"):
-- where configured, the warning also makes a call task for district staff, who record whether the party answered
-- (warned and told to correct) or not. An answered call counts as the warning reaching the party.
alter table field_tasks drop constraint if exists field_tasks_reason_check;
alter table field_tasks add constraint field_tasks_reason_check
  check (reason in ('party_unknown', 'unreachable', 'voice_call'));
alter table field_tasks drop constraint if exists field_tasks_outcome_check;
alter table field_tasks add constraint field_tasks_outcome_check
  check (outcome in ('party', 'corrected', 'answered', 'no_answer'));
-- when the call was made (the caller's statement); done_by is who called
alter table field_tasks add column called_at timestamptz;
alter table field_tasks add constraint field_tasks_call_outcome
  check (outcome is null or (reason = 'voice_call') = (outcome in ('answered', 'no_answer')));
alter table field_tasks add constraint field_tasks_called_at
  check ((called_at is not null) = coalesce(outcome in ('answered', 'no_answer'), false));
-- the party a call task rings (set when the task is made)
alter table field_tasks add constraint field_tasks_call_party check (reason <> 'voice_call' or party_id is not null);
create index field_tasks_calls_by_violation on field_tasks (violation_id) where reason = 'voice_call';
