-- The name this database gives its queued work. Job ids built from serials (frame-N, ...) repeat in a fresh or
-- restored database; carrying this id in every job id keeps them apart in a Redis that still holds an older
-- database's jobs, and the queue prefix is claimed for it so that two deployments never share one.
create table queue_instance (
  singleton   boolean primary key default true check (singleton),
  instance_id text not null default substr(md5(random()::text || clock_timestamp()::text), 1, 12),
  created_at  timestamptz not null default now()
);
insert into queue_instance default values;

-- A case document that cannot be issued (a broken party record, a missing font, a full disk) is retried with
-- backoff instead of on every sweep, and shown to staff on the case page until it goes out.
create table notice_issue_failures (
  case_id         uuid not null references cases (id),
  kind            text not null,
  attempts        integer not null default 1,
  last_error      text not null,
  first_failed_at timestamptz not null default now(),
  next_attempt_at timestamptz not null,
  primary key (case_id, kind)
);
