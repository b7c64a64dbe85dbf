-- Alerts reach the district's staff by SMS and e-mail: each account may carry a phone number and an e-mail
-- address (both optional, edited on the user-management page). Only alert notices use them.
alter table staff_users add column phone text check (phone ~ '^\+?[0-9]{5,20}$');
alter table staff_users add column email text check (length(email) <= 254 and email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$');

-- An alert is notified once per channel when it opens and once when it is resolved, never again: a second
-- 'notified' row for the same alert, channel and phase is refused.
create unique index alert_events_notified_once_idx on alert_events (alert_id, (detail ->> 'channel'), (detail ->> 'phase'))
  where event = 'notified';

-- Capture volume is counted per camera and hour against the same hours of past weeks.
create index violation_candidates_camera_time_idx on violation_candidates (camera_id, created_at);
-- The false-positive rate reads a camera's review decisions of a window.
create index review_tasks_camera_decided_idx on review_tasks (camera_id, decided_at) where status = 'done';
