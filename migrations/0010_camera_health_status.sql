-- camera_health.status was written by ingest and the detect stage but never read: the staff pages derive a
-- camera's status when they show it (src/cameras/camera-status.ts), from the last frame, the last error and the
-- sampling interval, so a stored copy could only go stale.
alter table camera_health drop column status;
