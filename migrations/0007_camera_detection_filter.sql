-- Per-camera detector filter: minimum score, minimum and maximum box area (shares of the frame), per-label
-- minimum scores. Zones add their own minimum score; ignore zones become ignore masks.
alter table cameras add column detection_filter jsonb not null default '{}';
