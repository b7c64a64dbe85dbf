import { randomUUID } from 'node:crypto';
import type { Pool } from '../../src/db/pool.js';
import { seedDistrict } from '../support/test-app.js';

/**
 * Rows with known figures for the statistics tests, in March 2026 (Beijing time), in district `pd` (cameras A on
 * 陆家嘴街道 and B without a street) and district `xh` (camera C). The expected figures are worked out in
 * stats.test.ts beside each assertion.
 */
export interface StatsSeed {
  cameraA: string;
  cameraB: string;
  cameraC: string;
}

const at = (beijing: string): Date => new Date(`${beijing}+08:00`);
const DAY = 86_400_000;
const plus = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY);

async function camera(pool: Pool, district: string, name: string, street: string | null): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into cameras (district_id, name, street, source) values ($1, $2, $3, '{"kind":"snapshot","url":"http://10.0.0.5/s.jpg"}')
     returning id`,
    [district, name, street],
  );
  return rows[0]!.id;
}

async function frame(
  pool: Pool,
  cameraId: string,
  seq: number,
  capturedAt: Date,
  items?: unknown[],
): Promise<void> {
  const { rows } = await pool.query<{ id: number }>(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version)
     values ($1, $2, $3, repeat('a', 64), 'k', 64, 36, 100, 1) returning id`,
    [cameraId, seq, capturedAt],
  );
  if (items)
    await pool.query(
      `insert into detections (frame_id, model_name, model_sha256, items) values ($1, 'm', 'x', $2)`,
      [rows[0]!.id, JSON.stringify(items)],
    );
}

interface ViolationSpec {
  district: string;
  camera: string;
  rule: string;
  type: string;
  status: string;
  seen: Date;
  reviews?: { stage: 'evidence' | 'legal'; decision: 'approve' | 'reject' | 'more_evidence'; at: Date }[];
}

async function violation(pool: Pool, v: ViolationSpec): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at,
                             confirmed_at, dedupe_key)
     values ($1::uuid, $2, $3, 1, $4, $5, $6, $7, $7, $8)`,
    [id, v.district, v.camera, v.rule, v.type, v.status, v.seen, id],
  );
  for (const r of v.reviews ?? [])
    await pool.query(
      `insert into review_tasks (violation_id, district_id, stage, status, violation_type, camera_id, decision, decided_at)
       values ($1, $2, $3, 'done', $4, $5, $6, $7)`,
      [id, v.district, r.stage, v.type, v.camera, r.decision, r.at],
    );
  return id;
}

let caseSeq = 0;
async function caseOf(
  pool: Pool,
  violationId: string,
  district: string,
  type: string,
  status: string,
  filed: Date,
  decided: Date | null,
): Promise<string> {
  caseSeq += 1;
  const { rows } = await pool.query<{ id: string }>(
    `insert into cases (district_id, year, seq, case_number, violation_id, violation_type, catalogue_version, status,
                        proposed_fine_fen, final_fine_fen, benchmark, deadlines, filed_at, decided_at)
     values ($1, 2026, $2, $3, $4, $5, 'v1', $6, 20000, case when $7::timestamptz is null then null else 20000 end,
             '{}', '{}', $8, $7) returning id`,
    [district, caseSeq, `沪${district}罚〔2026〕${caseSeq}号`, violationId, type, status, decided, filed],
  );
  return rows[0]!.id;
}

async function payment(
  pool: Pool,
  caseId: string,
  paidAt: Date,
  channel: 'online' | 'bank',
  lateFee: number,
): Promise<void> {
  await pool.query(
    `insert into payments (case_id, amount_fen, fine_fen, late_fee_fen, status, gateway, gateway_order_id, paid_at,
                           channel, receipt_number, recorded_by, paid_on)
     values ($1, $2, 20000, $3, 'paid', $4, $5, $6::timestamptz, $7::text, $8,
             case when $7::text = 'online' then null else (select id from staff_users limit 1) end,
             case when $7::text = 'online' then null else ($6::timestamptz at time zone 'Asia/Shanghai')::date end)`,
    [
      caseId,
      20000 + lateFee,
      lateFee,
      channel === 'online' ? 'hmac' : 'bank',
      randomUUID(),
      paidAt,
      channel,
      channel === 'online' ? null : `R-${randomUUID().slice(0, 8)}`,
    ],
  );
}

async function candidate(
  pool: Pool,
  cameraId: string,
  rule: string,
  created: Date,
  outcome: 'corrected' | 'escalate' | null,
): Promise<void> {
  await pool.query(
    `insert into violation_candidates (dedupe_key, camera_id, camera_version, rule, event, status, created_at,
                                       recheck_at, recheck_outcome)
     values ($1, $2, 1, $3, '{}', $4, $5, $6, $7)`,
    [
      randomUUID(),
      cameraId,
      rule,
      outcome === 'corrected' ? 'corrected' : outcome === 'escalate' ? 'escalated' : 'packaged',
      created,
      outcome ? plus(created, 0.1) : null,
      outcome,
    ],
  );
}

async function complaint(
  pool: Pool,
  district: string,
  receivedOn: string,
  replyDue: string,
  transferDue: string,
  outcome: { status: 'substantiated' | 'transferred'; on: string } | null,
): Promise<void> {
  const id = randomUUID();
  await pool.query(
    `insert into complaints (id, district_id, source, received_at, received_on, place_text, match_method, place_key,
                             group_id, content, reply_due_on, transfer_due_on, status, transfer_department, outcome_at,
                             outcome_on)
     values ($1, $2, 'staff', $3::date::timestamptz, $3::date, '某路', 'none', 'k', $1, '占道', $4, $5, $6, $7, $8, $9)`,
    [
      id,
      district,
      receivedOn,
      replyDue,
      transferDue,
      outcome?.status ?? 'open',
      outcome?.status === 'transferred' ? '市场监管局' : null,
      outcome ? new Date(`${outcome.on}T12:00:00+08:00`) : null,
      outcome?.on ?? null,
    ],
  );
}

export async function seedStatsFixture(pool: Pool): Promise<StatsSeed> {
  await seedDistrict(pool, 'pd', '浦东新区');
  await seedDistrict(pool, 'xh', '徐汇区');
  const cameraA = await camera(pool, 'pd', '甲路口', '陆家嘴街道');
  const cameraB = await camera(pool, 'pd', '乙路口', null);
  const cameraC = await camera(pool, 'xh', '丙路口', '徐家汇街道');

  // frames: A 3 on 5 March (one detected with 2 objects, one with none), B 1, C 2; one of A's on 28 Feb (outside)
  await frame(pool, cameraA, 1, at('2026-03-05T10:00:00'), [{ label: 'person' }, { label: 'goods' }]);
  await frame(pool, cameraA, 2, at('2026-03-05T10:00:05'), []);
  await frame(pool, cameraA, 3, at('2026-03-05T10:00:10'));
  await frame(pool, cameraA, 4, at('2026-02-28T23:59:00'));
  await frame(pool, cameraB, 1, at('2026-03-06T08:00:00'));
  await frame(pool, cameraC, 1, at('2026-03-06T08:00:00'));
  await frame(pool, cameraC, 2, at('2026-03-06T08:00:05'));

  const v1Seen = at('2026-03-05T10:00:00');
  const v1 = await violation(pool, {
    district: 'pd',
    camera: cameraA,
    rule: 'street_stall',
    type: 'street_stall',
    status: 'approved',
    seen: v1Seen,
    reviews: [
      { stage: 'evidence', decision: 'approve', at: plus(v1Seen, 0.5) },
      { stage: 'legal', decision: 'approve', at: plus(v1Seen, 1) },
    ],
  });
  const v2Seen = at('2026-03-06T10:00:00');
  await violation(pool, {
    district: 'pd',
    camera: cameraA,
    rule: 'street_stall',
    type: 'street_stall',
    status: 'rejected',
    seen: v2Seen,
    reviews: [{ stage: 'evidence', decision: 'reject', at: plus(v2Seen, 0.5) }],
  });
  await violation(pool, {
    district: 'pd',
    camera: cameraA,
    rule: 'street_stall',
    type: 'street_stall',
    status: 'pending_review',
    seen: at('2026-03-31T23:30:00'),
  });
  const v4Seen = at('2026-03-10T10:00:00');
  const v4 = await violation(pool, {
    district: 'pd',
    camera: cameraB,
    rule: 'illegal_dumping',
    type: 'illegal_dumping',
    status: 'approved',
    seen: v4Seen,
    reviews: [
      { stage: 'evidence', decision: 'approve', at: plus(v4Seen, 1) },
      { stage: 'legal', decision: 'approve', at: plus(v4Seen, 3) },
    ],
  });
  // outside the period on either side
  for (const seen of ['2026-02-28T23:30:00', '2026-04-01T00:10:00'])
    await violation(pool, {
      district: 'pd',
      camera: cameraA,
      rule: 'street_stall',
      type: 'street_stall',
      status: 'pending_review',
      seen: at(seen),
    });
  const v7Seen = at('2026-03-05T09:00:00');
  const v7 = await violation(pool, {
    district: 'xh',
    camera: cameraC,
    rule: 'street_stall',
    type: 'street_stall',
    status: 'approved',
    seen: v7Seen,
    reviews: [{ stage: 'legal', decision: 'approve', at: plus(v7Seen, 2) }],
  });

  await pool.query(
    `insert into staff_users (username, display_name, password_hash, role) values ('seed-admin', 'x', 'x', 'admin')`,
  );
  const k1 = await caseOf(pool, v1, 'pd', 'street_stall', 'paid', plus(v1Seen, 2), plus(v1Seen, 5));
  await payment(pool, k1, plus(v1Seen, 7), 'online', 0);
  const k2 = await caseOf(pool, v4, 'pd', 'illegal_dumping', 'paid', plus(v4Seen, 3), plus(v4Seen, 9));
  await payment(pool, k2, plus(v4Seen, 10), 'bank', 300);
  await caseOf(pool, v7, 'xh', 'street_stall', 'payment_due', plus(v7Seen, 3), plus(v7Seen, 6));

  await pool.query(
    `insert into statements (case_id, body, submitted_at, review_status) values ($1, '陈述', $2, 'accepted')`,
    [k1, at('2026-03-08T09:00:00')],
  );
  await pool.query(`insert into hearings (case_id, requested_at, status) values ($1, $2, 'held')`, [
    k2,
    at('2026-03-14T09:00:00'),
  ]);
  await pool.query(
    `insert into case_events (case_id, kind, data, actor, at) values
       ($1, 'review_started', '{"kind":"reconsideration"}', 'staff', $2),
       ($1, 'review_concluded', '{"outcome":"upheld"}', 'staff', $3)`,
    [k1, at('2026-03-20T09:00:00'), at('2026-03-25T09:00:00')],
  );

  await candidate(pool, cameraA, 'street_stall', at('2026-03-05T09:59:00'), 'corrected');
  await candidate(pool, cameraA, 'street_stall', at('2026-03-06T09:59:00'), 'escalate');
  await candidate(pool, cameraA, 'street_stall', at('2026-03-07T09:59:00'), null);
  await candidate(pool, cameraB, 'illegal_dumping', at('2026-03-10T09:59:00'), null);
  await candidate(pool, cameraC, 'street_stall', at('2026-03-05T08:59:00'), null);

  await complaint(pool, 'pd', '2026-03-03', '2026-03-10', '2026-03-06', {
    status: 'substantiated',
    on: '2026-03-09',
  });
  await complaint(pool, 'pd', '2026-03-04', '2026-03-11', '2026-03-07', null);
  await complaint(pool, 'pd', '2026-03-04', '2026-03-11', '2026-03-07', {
    status: 'transferred',
    on: '2026-03-08',
  });
  await complaint(pool, 'xh', '2026-03-04', '2026-03-11', '2026-03-07', null);
  return { cameraA, cameraB, cameraC };
}
