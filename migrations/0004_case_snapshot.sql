-- The procedure state machine's whole snapshot (state, deadlines, steps, pauses, reasons) lives with the case;
-- `status` stays as a column for queries and indexes.
alter table cases add column snapshot jsonb not null default '{}';

-- Reviewers claim oldest first within a stage; this index serves that order without a sort.
create index review_tasks_oldest_idx on review_tasks (stage, created_at) where status in ('open', 'claimed');
