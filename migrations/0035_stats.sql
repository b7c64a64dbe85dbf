-- Statistics (docs/statistics.md).

-- The street or town (街镇) a camera stands in: the statistics group cameras by it. Optional, as older cameras
-- have none recorded.
alter table cameras add column street text check (street is null or length(street) between 1 and 100);
create index cameras_district_street_idx on cameras (district_id, street);

-- Frames are short-lived (frame retention deletes those that are not evidence), so how many frames each camera
-- sampled and how many the detector ran on is kept per camera and Beijing day, counted by the triggers below as
-- the rows are written. The counts never go down when frames are deleted.
create table stats_camera_days (
  camera_id        uuid not null references cameras (id),
  day              date not null,
  frames           bigint not null default 0,
  detected_frames  bigint not null default 0,
  detected_objects bigint not null default 0,
  primary key (camera_id, day)
);
create index stats_camera_days_day_idx on stats_camera_days (day, camera_id);

create function stats_count_frames() returns trigger language plpgsql as $$
begin
  insert into stats_camera_days (camera_id, day, frames)
  select camera_id, (captured_at at time zone 'Asia/Shanghai')::date, count(*)
    from new_frames
   group by 1, 2
  on conflict (camera_id, day) do update set frames = stats_camera_days.frames + excluded.frames;
  return null;
end $$;

create trigger frames_stats_count
  after insert on frames
  referencing new table as new_frames
  for each statement execute function stats_count_frames();

create function stats_count_detections() returns trigger language plpgsql as $$
begin
  insert into stats_camera_days (camera_id, day, detected_frames, detected_objects)
  select f.camera_id, (f.captured_at at time zone 'Asia/Shanghai')::date, count(*),
         coalesce(sum(case when jsonb_typeof(d.items) = 'array' then jsonb_array_length(d.items) else 0 end), 0)
    from new_detections d
    join frames f on f.id = d.frame_id
   group by 1, 2
  on conflict (camera_id, day) do update
    set detected_frames = stats_camera_days.detected_frames + excluded.detected_frames,
        detected_objects = stats_camera_days.detected_objects + excluded.detected_objects;
  return null;
end $$;

create trigger detections_stats_count
  after insert on detections
  referencing new table as new_detections
  for each statement execute function stats_count_detections();

-- The statistics read violations by district and capture time, and by capture time alone for the city; the
-- included columns let the counts come from the index alone.
create index violations_stats_district_idx on violations (district_id, first_seen_at)
  include (camera_id, rule, violation_type, status);
create index violations_stats_time_idx on violations (first_seen_at)
  include (district_id, camera_id, rule, violation_type, status);
create index review_tasks_violation_idx on review_tasks (violation_id) include (stage, decision, decided_at)
  where decision is not null;
create index violation_candidates_stats_idx on violation_candidates (camera_id, created_at)
  include (rule, recheck_at, recheck_outcome);
create index cases_stats_filed_idx on cases (district_id, filed_at);
create index cases_stats_decided_idx on cases (district_id, decided_at) where decided_at is not null;
create index payments_stats_paid_idx on payments (paid_at) where status = 'paid';
create index statements_case_idx on statements (case_id);
create index case_events_stats_idx on case_events (kind, at) where kind in ('review_started', 'review_concluded');

-- Monthly analysis reports (月度分析报告) per district: the sealed PDF in the blob store, one per district and month
-- (a regenerated report replaces the row's file reference and keeps its history in the audit log).
create table stats_reports (
  id            uuid primary key default gen_random_uuid(),
  district_id   text not null references districts (id),
  month         date not null check (extract(day from month) = 1),
  storage_key   text not null,
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  byte_size     integer not null,
  seal          jsonb not null default '{}'::jsonb,
  trigger       text not null check (trigger in ('schedule', 'staff')),
  generated_by  uuid references staff_users (id),
  generated_at  timestamptz not null default now(),
  unique (district_id, month)
);
create index stats_reports_district_idx on stats_reports (district_id, month desc);
