-- Frames sampled per camera in ten-minute buckets, for the command screen's "captures today" against yesterday
-- at the same time of day. Frame rows are short-lived (retention deletes them after FRAME_RETENTION_MINUTES), so
-- a day's count cannot be taken from `frames`; this trigger counts each frame as it is inserted, whichever process
-- inserts it, and the counts outlive the frames. A camera writes a frame every few seconds, so its bucket row is
-- updated at that rate and never contended. (The statistics keep their own count per camera and day.)
create table camera_frame_counts (
  camera_id uuid not null references cameras (id),
  -- the start of the ten-minute window (aligned to UTC, and so to Beijing time)
  bucket    timestamptz not null,
  frames    integer not null default 0 check (frames >= 0),
  primary key (camera_id, bucket)
);
create index camera_frame_counts_bucket_idx on camera_frame_counts (bucket);

create function camera_frame_counts_add() returns trigger language plpgsql as $$
begin
  insert into camera_frame_counts (camera_id, bucket, frames)
  values (new.camera_id, date_bin('10 minutes', new.created_at, timestamptz '2000-01-01 00:00:00+00'), 1)
  on conflict (camera_id, bucket) do update set frames = camera_frame_counts.frames + 1;
  return null;
end
$$;

create trigger frames_counted after insert on frames
  for each row execute function camera_frame_counts_add();

-- the frames already stored
insert into camera_frame_counts (camera_id, bucket, frames)
select camera_id, date_bin('10 minutes', created_at, timestamptz '2000-01-01 00:00:00+00'), count(*)
  from frames group by 1, 2;
