-- Spot checks of a complaint (现场图像核查): one frame taken on request from the complaint's matched camera,
-- kept outside the frames table (ingest numbers each camera's frames itself), judged by the detect worker
-- against the camera's zones. A snapshot to help the complaint's handling; it creates no violation or case.
create table complaint_spot_checks (
  id            uuid primary key default gen_random_uuid(),
  complaint_id  uuid not null references complaints (id),
  camera_id     uuid not null references cameras (id),
  requested_by  uuid not null references staff_users (id),
  requested_at  timestamptz not null default now(),
  image_key     text not null,
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  status        text not null default 'pending' check (status in ('pending', 'done', 'failed')),
  -- per zone: the objects found in it that its rule watches, and whether the rule would see something
  result        jsonb,
  finished_at   timestamptz,
  error         text,
  check ((status = 'pending') = (finished_at is null)),
  check (status <> 'done' or result is not null)
);

create index complaint_spot_checks_by_complaint on complaint_spot_checks (complaint_id, requested_at desc);
