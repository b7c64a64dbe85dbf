-- Seed for scripts/bench/bench-stats.ts: a year of a city's enforcement, generated in SQL (insert ... select
-- generate_series). The number of violations is the setting bench.violations (1,000,000 by default); everything
-- else is in proportion: 16 districts of 25 cameras (8 streets each), a frame summary row per camera and day,
-- one candidate per violation (a tenth warned first), a review decision for each decided violation, a case for
-- each approved one, a payment for most decided cases, some statements, hearings, reconsiderations and complaints.
-- Times run back from now() over 365 days.

insert into districts (id, name, case_prefix)
select 'd' || lpad(d::text, 2, '0'), '区' || d, 'D' || d from generate_series(1, 16) d;

insert into cameras (district_id, name, street, source)
select 'd' || lpad((1 + (c - 1) / 25)::text, 2, '0'), '摄像头' || c, '街镇' || (1 + c % 8),
       '{"kind":"snapshot","url":"http://10.0.0.1/s.jpg"}'
  from generate_series(1, 400) c;

create temporary table bench_cams as
select row_number() over (order by id) - 1 as n, id, district_id from cameras;

-- frames sampled per camera and day: about one every 5 s, a third of them with a detector run
insert into stats_camera_days (camera_id, day, frames, detected_frames, detected_objects)
select c.id, (now() at time zone 'Asia/Shanghai')::date - d, 17280 - (c.n * 7 + d) % 500, 5000 + (c.n + d) % 300,
       9000 + (c.n * 3 + d) % 900
  from bench_cams c, generate_series(0, 364) d;

-- violations: status by i % 20 -> 12 closed (with a case), 4 rejected, 2 corrected, 2 pending review
insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at,
                        confirmed_at, dedupe_key)
select gen_random_uuid(), c.district_id, c.id, 1,
       (array['street_stall', 'shop_encroachment', 'illegal_dumping'])[1 + i % 3],
       (array['street_stall', 'shop_encroachment', 'illegal_dumping'])[1 + i % 3],
       (case when i % 20 < 12 then 'closed' when i % 20 < 16 then 'rejected' when i % 20 < 18 then 'corrected'
             else 'pending_review' end)::violation_status,
       now() - (i::float8 / current_setting('bench.violations')::int) * interval '365 days',
       now() - (i::float8 / current_setting('bench.violations')::int) * interval '365 days' + interval '2 minutes',
       'bench-' || i
  from generate_series(1, current_setting('bench.violations')::int) i
  join bench_cams c on c.n = i % 400;

insert into violation_candidates (dedupe_key, camera_id, camera_version, rule, event, status, violation_id,
                                  created_at, recheck_at, recheck_outcome)
select v.dedupe_key, v.camera_id, 1, v.rule, '{}',
       case when v.status = 'corrected' then 'corrected' else 'packaged' end, v.id, v.first_seen_at,
       case when v.status = 'corrected' or right(v.dedupe_key, 1) = '7' then v.first_seen_at + interval '10 minutes' end,
       case when v.status = 'corrected' then 'corrected' when right(v.dedupe_key, 1) = '7' then 'escalate' end
  from violations v;

-- one decision per decided violation (single-stage review): approved at the legal stage or rejected
insert into review_tasks (violation_id, district_id, stage, status, violation_type, camera_id, decision, decided_at,
                          created_at)
select v.id, v.district_id, case when v.status = 'closed' then 'legal' else 'evidence' end, 'done', v.violation_type,
       v.camera_id, case when v.status = 'closed' then 'approve' else 'reject' end,
       v.first_seen_at + interval '20 hours' + (right(v.dedupe_key, 2)::int) * interval '1 hour', v.first_seen_at
  from violations v where v.status in ('closed', 'rejected');

insert into cases (district_id, year, seq, case_number, violation_id, violation_type, catalogue_version, status,
                   proposed_fine_fen, final_fine_fen, benchmark, deadlines, filed_at, decided_at)
select v.district_id, 2026, row_number() over (partition by v.district_id order by v.first_seen_at),
       'B' || v.dedupe_key, v.id, v.violation_type, 'bench',
       case when right(v.dedupe_key, 1) in ('0', '1', '2', '3', '4', '5', '6') then 'paid'
            when right(v.dedupe_key, 1) = '8' then 'payment_due' else 'statement_window' end,
       20000, case when right(v.dedupe_key, 1) <> '9' then 20000 end, '{}', '{}',
       v.first_seen_at + interval '2 days',
       case when right(v.dedupe_key, 1) <> '9' then v.first_seen_at + interval '9 days' end
  from violations v where v.status = 'closed';

insert into payments (case_id, amount_fen, fine_fen, late_fee_fen, status, gateway, gateway_order_id, paid_at, channel)
select k.id, 20000 + case when k.seq % 10 = 0 then 600 else 0 end, 20000,
       case when k.seq % 10 = 0 then 600 else 0 end, 'paid', 'hmac', 'bench-' || k.case_number,
       k.decided_at + (k.seq % 14) * interval '1 day', 'online'
  from cases k where k.status = 'paid';

insert into statements (case_id, body, submitted_at, review_status)
select k.id, '陈述', k.filed_at + interval '3 days',
       (array['accepted', 'partly_accepted', 'rejected', 'pending'])[1 + k.seq % 4]
  from cases k where k.seq % 20 = 0;

insert into hearings (case_id, requested_at, status)
select k.id, k.filed_at + interval '4 days', (array['requested', 'scheduled', 'held', 'withdrawn'])[1 + k.seq % 4]
  from cases k where k.seq % 100 = 0;

insert into case_events (case_id, kind, data, actor, at)
select k.id, 'review_started', jsonb_build_object('kind', case when k.seq % 2 = 0 then 'reconsideration' else 'litigation' end),
       'staff', k.decided_at + interval '20 days'
  from cases k where k.seq % 500 = 0 and k.decided_at is not null;

insert into complaints (district_id, source, received_at, received_on, place_text, match_method, place_key, group_id,
                        content, reply_due_on, transfer_due_on, status, outcome_at, outcome_on)
select 'd' || lpad((1 + i % 16)::text, 2, '0'), 'staff', now() - (i % 365) * interval '1 day',
       ((now() - (i % 365) * interval '1 day') at time zone 'Asia/Shanghai')::date, '某路', 'none', 'k',
       gen_random_uuid(), '占道经营', ((now() - (i % 365) * interval '1 day') at time zone 'Asia/Shanghai')::date + 7,
       ((now() - (i % 365) * interval '1 day') at time zone 'Asia/Shanghai')::date + 3,
       case when i % 5 = 0 then 'open' else 'substantiated' end,
       case when i % 5 = 0 then null else now() - (i % 365) * interval '1 day' + (i % 9) * interval '1 day' end,
       case when i % 5 = 0 then null
            else ((now() - (i % 365) * interval '1 day' + (i % 9) * interval '1 day') at time zone 'Asia/Shanghai')::date end
  from generate_series(1, current_setting('bench.violations')::int / 50) i;

analyze;
