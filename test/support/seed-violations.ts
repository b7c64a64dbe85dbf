import { creditCodeCheckChar, idNumberCheckChar } from '../../src/parties/identity-codes.js';
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Pool } from '../../src/db/pool.js';
import type { BlobStore } from '../../src/storage/blob-store.js';

/** A camera with a full device register, for tests that need violations. */
export async function seedCamera(
  pool: Pool,
  districtId: string,
  name = `cam-${randomUUID().slice(0, 8)}`,
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into cameras (district_id, name, source, legal_review_date, technical_review_date, published, published_at)
     values ($1, $2, '{"kind":"snapshot","url":"http://10.0.0.5/snap.jpg"}', '2026-01-05', '2026-01-06', true, now()) returning id`,
    [districtId, name],
  );
  return rows[0]!.id;
}

export async function seedParty(
  pool: Pool,
  districtId: string,
  name = '张记水果店',
  kind: 'unit' | 'person' = 'unit',
): Promise<string> {
  // a well-formed identifier with its check character (GB 32100 for a unit, GB 11643 for a person)
  const random = randomUUID().replace(/-/g, '').toUpperCase();
  const first17 =
    kind === 'unit'
      ? `91310115${random.slice(0, 9)}`
      : `31011519900101${String(parseInt(random.slice(0, 6), 16) % 1000).padStart(3, '0')}`;
  const idNumber = first17 + (kind === 'unit' ? creditCodeCheckChar(first17) : idNumberCheckChar(first17));
  const { rows } = await pool.query<{ id: string }>(
    `insert into parties (district_id, kind, name, id_number, phone, online_delivery_consent, consent_recorded_at)
     values ($1, $2, $3, $4, '13800138000', true, now()) returning id`,
    [districtId, kind, name, idNumber],
  );
  return rows[0]!.id;
}

/**
 * A violation waiting for review with real evidence blobs (two JPEG frames made with sharp and a manifest),
 * each stored with its SHA-256 as the evidence stage does.
 */
export async function seedViolationForReview(
  pool: Pool,
  blobs: BlobStore,
  opts: {
    districtId: string;
    cameraId: string;
    partyId?: string | null;
    stage?: 'evidence' | 'legal';
    type?: string;
  },
): Promise<{ violationId: string; taskId: string }> {
  const violationId = randomUUID();
  const { rows } = await pool.query<{ id: string }>(
    `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, party_id, first_seen_at, confirmed_at, dedupe_key, model_name, model_sha256)
     values ($1, $2, $3, 1, 'stall', $4, 'pending_review', $5, now() - interval '12 minutes', now() - interval '1 minute', $6, 'yolox-nano', 'abc') returning id`,
    [
      violationId,
      opts.districtId,
      opts.cameraId,
      opts.type ?? 'street_stall',
      opts.partyId ?? null,
      `seed-${violationId}`,
    ],
  );
  const items: { kind: string; bytes: Buffer; type: string }[] = [];
  for (const shade of [40, 200]) {
    items.push({
      kind: 'original',
      type: 'image/jpeg',
      bytes: await sharp({
        create: { width: 32, height: 24, channels: 3, background: { r: shade, g: 90, b: 30 } },
      })
        .jpeg()
        .toBuffer(),
    });
  }
  items.push({
    kind: 'manifest',
    type: 'application/json',
    bytes: Buffer.from(JSON.stringify({ violationId })),
  });
  for (const [i, item] of items.entries()) {
    const key = `evidence/${violationId}/${i}-${item.kind}`;
    await blobs.put(key, item.bytes, { ifNotExists: true });
    await pool.query(
      `insert into evidence_items (violation_id, kind, storage_key, sha256, content_type, byte_size, captured_at, label)
       values ($1, $2, $3, $4, $5, $6, now(), $7)`,
      [
        violationId,
        item.kind,
        key,
        createHash('sha256').update(item.bytes).digest('hex'),
        item.type,
        item.bytes.length,
        `${item.kind} ${i}`,
      ],
    );
  }
  const task = await pool.query<{ id: string }>(
    `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id) values ($1, $2, $3, $4, $5) returning id`,
    [rows[0]!.id, opts.districtId, opts.stage ?? 'evidence', opts.type ?? 'street_stall', opts.cameraId],
  );
  return { violationId, taskId: task.rows[0]!.id };
}
