-- Ingest keeps each camera's sequence position and its newest frame (the one staff draw zones on).
alter table camera_health
  add column last_seq           bigint not null default 0,
  add column last_captured_at   timestamptz,
  add column latest_frame_sha256 text,
  add column latest_frame_width  integer,
  add column latest_frame_height integer;

-- Why a frame's capture time differs from what the source proposed (camera clock out of range, not after the
-- previous frame); kept with the frame for the evidence record.
alter table frames add column time_adjustment text not null default 'none';
