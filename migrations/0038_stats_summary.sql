-- The statistics summary (docs/statistics.md, "The summary"): the figures of each Beijing day and of each calendar
-- month, per district and camera, rule and violation type, so that a year is read from a few thousand rows
-- instead of a million violations. Rows of grain 'day' are computed from the source tables; rows of grain 'month'
-- are the sums of a month's day rows. The source tables' triggers below mark the (district, day) pairs whose
-- figures changed; src/stats/stats-summary.service.ts recomputes them (a scheduled job, and before a statistics
-- page reads when few are waiting).

-- (kind, district, day) pairs to recompute; kind is the day's axis: 'capture' (violations by first_seen_at),
-- 'candidate' (candidates by created_at), 'filed' (cases by filed_at), 'decided' (cases by decided_at), 'paid'
-- (payments by paid_at).
create table stats_summary_dirty (
  id          bigserial primary key,
  kind        text not null check (kind in ('capture', 'candidate', 'filed', 'decided', 'paid')),
  district_id text not null,
  day         date not null
);

-- Violations by day of capture: their status now and their review outcomes (reviewCounts' definitions).
create table stats_summary_counts (
  grain                text not null check (grain in ('day', 'month')),
  day                  date not null,
  district_id          text not null,
  camera_id            uuid not null,
  rule                 text not null,
  violation_type       text not null,
  violations           integer not null,
  warned               integer not null,
  corrected            integer not null,
  pending_review       integer not null,
  approved             integer not null,
  rejected             integer not null,
  reviewed             integer not null,
  review_approved      integer not null,
  review_rejected      integer not null,
  review_more_evidence integer not null,
  primary key (grain, district_id, day, camera_id, rule, violation_type)
);
create index stats_summary_counts_day_idx on stats_summary_counts (grain, day);

-- Violations by day of capture without the camera: the times from capture to review, filing, decision and payment
-- as histograms of 80 buckets (src/stats/stats-summary-shape.ts says which times each bucket holds).
create table stats_summary_steps (
  grain          text not null check (grain in ('day', 'month')),
  day            date not null,
  district_id    text not null,
  rule           text not null,
  violation_type text not null,
  violations     integer not null,
  review_h       integer[] not null check (cardinality(review_h) = 80),
  filing_h       integer[] not null check (cardinality(filing_h) = 80),
  decision_h     integer[] not null check (cardinality(decision_h) = 80),
  payment_h      integer[] not null check (cardinality(payment_h) = 80),
  primary key (grain, district_id, day, rule, violation_type)
);
create index stats_summary_steps_day_idx on stats_summary_steps (grain, day);

-- Violation candidates by day of creation, per camera (and its district) and rule, with warn-first outcomes.
create table stats_summary_candidates (
  grain       text not null check (grain in ('day', 'month')),
  day         date not null,
  district_id text not null,
  camera_id   uuid not null,
  rule        text not null,
  candidates  integer not null,
  warned      integer not null,
  corrected   integer not null,
  escalated   integer not null,
  withdrawn   integer not null,
  unchecked   integer not null,
  primary key (grain, district_id, day, camera_id, rule)
);
create index stats_summary_candidates_day_idx on stats_summary_candidates (grain, day);

-- Cases by day of filing and their state now.
create table stats_summary_filed (
  grain          text not null check (grain in ('day', 'month')),
  day            date not null,
  district_id    text not null,
  camera_id      uuid not null,
  rule           text not null,
  violation_type text not null,
  status         text not null,
  cases          integer not null,
  primary key (grain, district_id, day, camera_id, rule, violation_type, status)
);
create index stats_summary_filed_day_idx on stats_summary_filed (grain, day);

-- Cases by day of decision with a fine to pay, and how many of them are paid (the payment rate).
create table stats_summary_decided (
  grain          text not null check (grain in ('day', 'month')),
  day            date not null,
  district_id    text not null,
  camera_id      uuid not null,
  rule           text not null,
  violation_type text not null,
  decided        integer not null,
  paid           integer not null,
  primary key (grain, district_id, day, camera_id, rule, violation_type)
);
create index stats_summary_decided_day_idx on stats_summary_decided (grain, day);

-- Payments settled by day, channel and gateway.
create table stats_summary_payments (
  grain          text not null check (grain in ('day', 'month')),
  day            date not null,
  district_id    text not null,
  camera_id      uuid not null,
  rule           text not null,
  violation_type text not null,
  channel        text not null,
  gateway        text not null,
  payments       integer not null,
  amount_fen     bigint not null,
  fine_fen       bigint not null,
  late_fee_fen   bigint not null,
  with_late_fee  integer not null,
  primary key (grain, district_id, day, camera_id, rule, violation_type, channel, gateway)
);
create index stats_summary_payments_day_idx on stats_summary_payments (grain, day);

-- The marks. Each trigger runs once per statement over the rows it wrote (a bulk load marks each pair once).
create function stats_beijing_day(at timestamptz) returns date language sql immutable as $$
  select (at at time zone 'Asia/Shanghai')::date
$$;

create function stats_mark_violations() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'capture', district_id, stats_beijing_day(first_seen_at) from changed_rows;
  return null;
end $$;
create trigger violations_stats_mark_insert after insert on violations
  referencing new table as changed_rows for each statement execute function stats_mark_violations();
create trigger violations_stats_mark_update after update on violations
  referencing new table as changed_rows for each statement execute function stats_mark_violations();

create function stats_mark_review_tasks() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'capture', v.district_id, stats_beijing_day(v.first_seen_at)
    from changed_rows t join violations v on v.id = t.violation_id
   where t.decision is not null;
  return null;
end $$;
create trigger review_tasks_stats_mark_insert after insert on review_tasks
  referencing new table as changed_rows for each statement execute function stats_mark_review_tasks();
create trigger review_tasks_stats_mark_update after update on review_tasks
  referencing new table as changed_rows for each statement execute function stats_mark_review_tasks();

create function stats_mark_cases() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'capture', v.district_id, stats_beijing_day(v.first_seen_at)
    from changed_rows k join violations v on v.id = k.violation_id
  union
  select distinct 'filed', k.district_id, stats_beijing_day(k.filed_at)
    from changed_rows k where k.filed_at is not null
  union
  select distinct 'decided', k.district_id, stats_beijing_day(k.decided_at)
    from changed_rows k where k.decided_at is not null;
  return null;
end $$;
create trigger cases_stats_mark_insert after insert on cases
  referencing new table as changed_rows for each statement execute function stats_mark_cases();
create trigger cases_stats_mark_update after update on cases
  referencing new table as changed_rows for each statement execute function stats_mark_cases();
-- a decision taken back (decided_at cleared or moved) changes the day it was on, as does a filing date corrected
create function stats_mark_cases_before() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'decided', k.district_id, stats_beijing_day(k.decided_at)
    from old_rows k where k.decided_at is not null
  union
  select distinct 'filed', k.district_id, stats_beijing_day(k.filed_at)
    from old_rows k where k.filed_at is not null;
  return null;
end $$;
create trigger cases_stats_mark_update_old after update on cases
  referencing old table as old_rows for each statement execute function stats_mark_cases_before();

create function stats_mark_payments() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'capture', v.district_id, stats_beijing_day(v.first_seen_at)
    from changed_rows p join cases k on k.id = p.case_id join violations v on v.id = k.violation_id
   where p.status = 'paid'
  union
  select distinct 'decided', k.district_id, stats_beijing_day(k.decided_at)
    from changed_rows p join cases k on k.id = p.case_id
   where p.status = 'paid' and k.decided_at is not null
  union
  select distinct 'paid', k.district_id, stats_beijing_day(p.paid_at)
    from changed_rows p join cases k on k.id = p.case_id
   where p.paid_at is not null;
  return null;
end $$;
create trigger payments_stats_mark_insert after insert on payments
  referencing new table as changed_rows for each statement execute function stats_mark_payments();
create trigger payments_stats_mark_update after update on payments
  referencing new table as changed_rows for each statement execute function stats_mark_payments();
-- a payment that stops counting as paid (refunded, or its paid_at corrected) changes the days it counted on
create trigger payments_stats_mark_update_old after update on payments
  referencing old table as changed_rows for each statement execute function stats_mark_payments();

create function stats_mark_candidates() returns trigger language plpgsql as $$
begin
  insert into stats_summary_dirty (kind, district_id, day)
  select distinct 'candidate', c.district_id, stats_beijing_day(vc.created_at)
    from changed_rows vc join cameras c on c.id = vc.camera_id;
  return null;
end $$;
create trigger violation_candidates_stats_mark_insert after insert on violation_candidates
  referencing new table as changed_rows for each statement execute function stats_mark_candidates();
create trigger violation_candidates_stats_mark_update after update on violation_candidates
  referencing new table as changed_rows for each statement execute function stats_mark_candidates();

-- What is already recorded is summarised by the first refresh.
insert into stats_summary_dirty (kind, district_id, day)
select distinct 'capture', district_id, stats_beijing_day(first_seen_at) from violations;
insert into stats_summary_dirty (kind, district_id, day)
select distinct 'candidate', c.district_id, stats_beijing_day(vc.created_at)
  from violation_candidates vc join cameras c on c.id = vc.camera_id;
insert into stats_summary_dirty (kind, district_id, day)
select distinct 'filed', district_id, stats_beijing_day(filed_at) from cases where filed_at is not null;
insert into stats_summary_dirty (kind, district_id, day)
select distinct 'decided', district_id, stats_beijing_day(decided_at) from cases where decided_at is not null;
insert into stats_summary_dirty (kind, district_id, day)
select distinct 'paid', k.district_id, stats_beijing_day(p.paid_at)
  from payments p join cases k on k.id = p.case_id where p.paid_at is not null;
