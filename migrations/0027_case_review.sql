-- Case-file review (案卷评查): the findings of the automatic checks, withdrawals with a second person's approval,
-- random samples of closed case files with their scoring sheets, and supervision notices (督办) to the districts.
-- Supervision of penalties: APL art. 75 (评议、考核, 监督检查); the whole-process record: APL art. 47.

-- A withdrawal (撤案) is proposed with its reason and takes effect only once an agency head, not the proposer,
-- approves it. One open proposal per case.
create table case_withdrawals (
  id            uuid primary key default gen_random_uuid(),
  case_id       uuid not null references cases (id),
  district_id   text not null references districts (id),
  reason        text not null check (length(btrim(reason)) between 1 and 2000),
  proposed_by   uuid not null references staff_users (id),
  proposed_at   timestamptz not null default now(),
  status        text not null default 'proposed' check (status in ('proposed', 'approved', 'refused')),
  decided_by    uuid references staff_users (id),
  decided_at    timestamptz,
  decision_note text check (decision_note is null or length(decision_note) <= 2000),
  check ((status = 'proposed') = (decided_by is null)),
  check (decided_by is null or decided_by <> proposed_by)
);
create unique index case_withdrawals_open_idx on case_withdrawals (case_id) where status = 'proposed';
create index case_withdrawals_district_idx on case_withdrawals (district_id, proposed_at);

-- One run of the checks, scheduled or asked for from the page.
create table case_review_runs (
  id          bigint generated always as identity primary key,
  trigger     text not null check (trigger in ('schedule', 'staff')),
  actor_id    uuid references staff_users (id),
  district_id text references districts (id),
  limits      jsonb not null,
  found       integer not null default 0,
  at          timestamptz not null default now()
);

-- A finding, one row per subject and kind (key), kept up to date by each run; a not-pursued or overdue finding
-- that a run no longer sees is resolved. Withdrawals and rejections are a record and never resolve.
create table case_review_findings (
  id             uuid primary key default gen_random_uuid(),
  key            text not null unique,
  district_id    text not null references districts (id),
  kind           text not null check (kind in ('not_pursued', 'overdue', 'withdrawal', 'rejection')),
  subject_kind   text not null check (subject_kind in ('violation', 'case', 'review_task', 'withdrawal')),
  subject_id     text not null,
  detail         jsonb not null default '{}',
  first_found_at timestamptz not null default now(),
  last_found_at  timestamptz not null default now(),
  resolved_at    timestamptz
);
create index case_review_findings_district_idx on case_review_findings (district_id, kind, first_found_at desc);

-- A random draw ("双随机"): the seed, the population of closed cases and the eligible reviewers are kept, so
-- anyone can draw again from them and get the same sample.
create table case_review_draws (
  id          uuid primary key default gen_random_uuid(),
  district_id text not null references districts (id),
  seed        text not null check (seed ~ '^[0-9a-f]{32}$'),
  closed_from date not null,
  closed_to   date not null,
  sample_size integer not null check (sample_size between 1 and 100),
  population  jsonb not null,
  reviewers   jsonb not null,
  drawn_by    uuid not null references staff_users (id),
  drawn_at    timestamptz not null default now(),
  check (closed_from <= closed_to)
);
create index case_review_draws_district_idx on case_review_draws (district_id, drawn_at desc);

-- A scoring sheet: one per case drawn, by the reviewer drawn for it.
create table case_review_sheets (
  id          uuid primary key default gen_random_uuid(),
  draw_id     uuid not null references case_review_draws (id),
  case_id     uuid not null references cases (id),
  district_id text not null references districts (id),
  reviewer_id uuid not null references staff_users (id),
  scores      jsonb,
  total       integer check (total between 0 and 100),
  comment     text check (comment is null or length(comment) <= 2000),
  scored_at   timestamptz,
  unique (draw_id, case_id),
  check ((scored_at is null) = (total is null))
);
create index case_review_sheets_reviewer_idx on case_review_sheets (reviewer_id);

-- A supervision notice (督办) to the responsible unit (district), from a finding or a scored sheet; the unit
-- answers by the due date.
create table supervision_notices (
  id          uuid primary key default gen_random_uuid(),
  district_id text not null references districts (id),
  source_kind text not null check (source_kind in ('finding', 'sheet')),
  source_id   uuid not null,
  request     text not null check (length(btrim(request)) between 1 and 2000),
  due_on      date not null,
  issued_by   uuid not null references staff_users (id),
  issued_at   timestamptz not null default now(),
  answer      text check (answer is null or length(btrim(answer)) between 1 and 2000),
  answered_by uuid references staff_users (id),
  answered_at timestamptz,
  check ((answer is null) = (answered_at is null))
);
create index supervision_notices_district_idx on supervision_notices (district_id, due_on);
