-- A reviewer's held task is looked up before every claim; without this index that lookup scans the queue.
create index review_tasks_held_idx on review_tasks (claimed_by, stage) where status = 'claimed';
