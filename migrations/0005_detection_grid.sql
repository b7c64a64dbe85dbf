-- The detect stage also keeps a small grayscale grid of each frame (64x36 bytes, row by row) for the rules'
-- background model, so the rules stage never decodes images.
alter table detections
  add column grid bytea,
  add column frame_width integer,
  add column frame_height integer;
