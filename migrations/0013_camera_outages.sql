-- Outages: a run of errors between two frames of a camera (camera, network or stream server gone and back), counted
-- with the gap from the last frame before to the first frame after, so that staff see how often and how long a
-- camera was blind, not only its latest error.
alter table camera_health
  add column outages_total   integer not null default 0,
  add column outage_ms_total bigint  not null default 0,
  add column last_outage_ms  bigint,
  add column last_outage_at  timestamptz;
