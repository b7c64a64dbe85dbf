import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit.repo.js';
import { violationUuidFor } from '../../src/evidence/evidence-ids.js';
import { manifestFaults, type EvidenceManifest } from '../../src/evidence/evidence-manifest.js';
import { createEvidenceRenderer, type EvidenceRenderer } from '../../src/evidence/evidence-render.adapter.js';
import { EvidenceStage } from '../../src/evidence/evidence-stage.service.js';
import { deliveryRetry } from '../../src/queue/jobs.js';
import { FrameStore } from '../../src/storage/frame-store.js';
import { listEvidence, findViolation } from '../../src/violations/violation.repo.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import {
  addFrame,
  configureCamera,
  eligibleCamera,
  count,
  MODEL,
  silent,
  stages,
  stallZone,
  T0,
  umbrella,
} from '../support/rules-fixtures.js';

let ctx: TestContext;
let jpegs: TestFrames;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'jingan');
  await ctx.pool.query(`update districts set review_mode = 'single_stage' where id = 'jingan'`);
  jpegs = await extractTestFrames(6);
});

afterAll(async () => {
  await jpegs?.cleanup();
  await ctx?.close();
});

/** A camera whose umbrella stays 25 s in a no-stall zone with a 20 s dwell: one candidate, confirmed on frame 5. */
async function confirmedStall(districtId = 'pudong') {
  const cameraId = await eligibleCamera(ctx.pool, districtId);
  const zoneId = randomUUID();
  const version = await configureCamera(ctx.pool, cameraId, [stallZone(zoneId)]);
  const s = stages(ctx);
  let frameId = 0;
  for (const seq of [1, 2, 3, 4, 5, 6]) {
    frameId = await addFrame(ctx, cameraId, version, {
      seq,
      at: (seq - 1) * 5,
      jpeg: jpegs.jpegs[seq - 1]!,
      detections: [umbrella()],
    });
  }
  await s.rules.handle({ frameId, cameraId, seq: 6 });
  const { rows } = await ctx.pool.query('select dedupe_key from violation_candidates where camera_id = $1', [
    cameraId,
  ]);
  expect(rows).toHaveLength(1);
  return { cameraId, zoneId, version, dedupeKey: rows[0].dedupe_key as string, ...s };
}

describe('evidence stage', () => {
  it('packages originals, annotated copies, crops and a manifest, and writes the violation with its review task', async () => {
    const { cameraId, zoneId, version, dedupeKey, evidence, frames } = await confirmedStall();
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['packaged']);

    const violationId = violationUuidFor(dedupeKey);
    const violation = (await findViolation(ctx.pool, violationId))!;
    expect(violation).toMatchObject({
      camera_id: cameraId,
      zone_id: zoneId,
      camera_version: version,
      rule: 'stall',
      violation_type: 'street_stall',
      status: 'pending_review',
      district_id: 'pudong',
      model_name: MODEL.name,
      model_sha256: MODEL.sha256,
    });
    expect(violation.first_seen_at.getTime()).toBe(T0);
    expect(violation.confirmed_at.getTime() - violation.first_seen_at.getTime()).toBeGreaterThanOrEqual(
      20_000,
    );

    const items = await listEvidence(ctx.pool, violationId);
    expect(items.map((i) => i.kind).sort()).toEqual([
      'annotated',
      'annotated',
      'crop',
      'crop',
      'manifest',
      'original',
      'original',
    ]);
    for (const item of items) {
      const stored = await ctx.blobs.get(item.storage_key);
      expect(sha256(stored), item.storage_key).toBe(item.sha256);
      expect(stored.length).toBe(item.byte_size);
      expect(item.storage_key.startsWith(`evidence/${violationId}/`)).toBe(true);
    }
    // The workbench's copies of the originals and annotated images are made with the package, not on first view.
    for (const item of items.filter((i) => i.kind === 'original' || i.kind === 'annotated')) {
      const copy = await ctx.blobs.get(`thumbnails/review-960/${item.sha256}.jpg`);
      expect((await sharp(copy).metadata()).width).toBeLessThanOrEqual(960);
    }
    // The originals are the captured frames, byte for byte, with the hash taken at capture.
    const proof = await ctx.pool.query(
      'select id, seq, sha256 from frames where camera_id = $1 and seq in (1, 5) order by seq',
      [cameraId],
    );
    const originals = items.filter((i) => i.kind === 'original').sort((a, b) => a.frame_id! - b.frame_id!);
    for (const [i, frame] of proof.rows.entries()) {
      expect(originals[i]!.frame_id).toBe(frame.id);
      expect(originals[i]!.sha256).toBe(frame.sha256);
      expect((await ctx.blobs.get(originals[i]!.storage_key)).equals(await frames.get(frame.sha256))).toBe(
        true,
      );
    }
    // The manifest's own hash is the one recorded, and every item it lists matches what is stored.
    const manifestItem = items.find((i) => i.kind === 'manifest')!;
    const manifestBytes = await ctx.blobs.get(violation.manifest_key!);
    expect(violation.manifest_key).toBe(manifestItem.storage_key);
    expect(violation.manifest_sha256).toBe(sha256(manifestBytes));
    const manifest = JSON.parse(manifestBytes.toString('utf8')) as EvidenceManifest;
    const stored = new Map(items.map((i) => [i.storage_key, { sha256: i.sha256, byteSize: i.byte_size }]));
    expect(manifestFaults(manifest, stored)).toEqual([]);
    expect(manifest.items).toHaveLength(6);
    expect(manifest.frames.map((f) => [f.role, f.seq])).toEqual([
      ['first_seen', 1],
      ['confirmed', 5],
    ]);
    expect(manifest.frames[0]!.detections).toEqual([umbrella()]);
    expect(manifest).toMatchObject({
      camera: { id: cameraId, districtId: 'pudong' },
      deviceRegister: { eligible: true, published: true, legalReviewDate: '2026-01-05' },
      config: { cameraVersion: version, rulesConfigVersion: String(version) },
      model: MODEL,
      violation: {
        id: violationId,
        rule: 'stall',
        violationType: 'street_stall',
        dwellSeconds: 20,
        zone: { id: zoneId },
      },
    });
    // A changed byte anywhere is found.
    const tampered = new Map(stored);
    tampered.set(originals[0]!.storage_key, { sha256: '0'.repeat(64), byteSize: originals[0]!.byte_size });
    expect(manifestFaults(manifest, tampered)).toHaveLength(1);

    const tasks = await ctx.pool.query(
      'select stage, status, violation_type from review_tasks where violation_id = $1',
      [violationId],
    );
    expect(tasks.rows).toEqual([{ stage: 'evidence', status: 'open', violation_type: 'street_stall' }]);
    const audit = await ctx.pool.query(
      `select data from audit_log where action = 'violation.recorded' and subject_id = $1`,
      [violationId],
    );
    expect(audit.rows[0].data).toMatchObject({
      dedupeKey,
      manifestSha256: violation.manifest_sha256,
      reviewStage: 'evidence',
    });
    expect((await verifyAuditChain(ctx.pool)).ok).toBe(true);
  });

  it('makes annotated copies legible and crops around the violation', async () => {
    const { cameraId, dedupeKey, evidence } = await confirmedStall();
    await evidence.handle({ cameraId, dedupeKey });
    const items = await listEvidence(ctx.pool, violationUuidFor(dedupeKey));
    const original = await ctx.blobs.get(items.find((i) => i.kind === 'original')!.storage_key);
    const annotated = await ctx.blobs.get(items.find((i) => i.kind === 'annotated')!.storage_key);
    const crop = await ctx.blobs.get(items.find((i) => i.kind === 'crop')!.storage_key);
    const a = await sharp(annotated).metadata();
    expect(a.format).toBe('jpeg');
    expect(a.width).toBe(960);
    expect(a.height).toBe(720);
    // The header band is darkened and carries light text; the original's top rows are not like that.
    const band = await sharp(annotated)
      .extract({ left: 0, top: 0, width: 960, height: 60 })
      .greyscale()
      .stats();
    const sameArea = await sharp(original)
      .resize(960, 720)
      .extract({ left: 0, top: 0, width: 960, height: 60 })
      .greyscale()
      .stats();
    expect(band.channels[0]!.mean).toBeLessThan(sameArea.channels[0]!.mean);
    expect(band.channels[0]!.max).toBeGreaterThan(200);
    const c = await sharp(crop).metadata();
    expect(c.width).toBe(320);
    // The umbrella box is 32 x 36 px on the 320 x 240 frame: the crop is twice that, kept at the frame's aspect.
    expect(c.height).toBe(Math.round((72 / 64) * 320));
  });

  it('a retried evidence job, including one that failed half way, adds nothing twice and overwrites nothing', async () => {
    const { cameraId, dedupeKey, frames } = await confirmedStall();
    const real = createEvidenceRenderer();
    let crops = 0;
    const failing: EvidenceRenderer = {
      annotated: real.annotated,
      async crop(original, box) {
        if (++crops === 2) throw new Error('worker killed while cropping');
        return real.crop(original, box);
      },
    };
    const deps = {
      pool: ctx.pool,
      blobs: ctx.blobs,
      frames,
      queues: ctx.queues,
      deliveryRetry: deliveryRetry(ctx.config),
      logger: silent,
    };
    await expect(
      new EvidenceStage({ ...deps, renderer: failing }).handle({ cameraId, dedupeKey }),
    ).rejects.toThrow(/killed/);
    const violationId = violationUuidFor(dedupeKey);
    expect(await findViolation(ctx.pool, violationId)).toBeNull();
    const firstOriginal = await ctx.blobs.get(`evidence/${violationId}/original-1.jpg`);

    const retry = new EvidenceStage({ ...deps, renderer: real });
    expect(await retry.handle({ cameraId, dedupeKey })).toEqual(['packaged']);
    expect(await retry.handle({ cameraId, dedupeKey })).toEqual([]);
    expect(await count(ctx.pool, 'select 1 from violations where dedupe_key = $1', [dedupeKey])).toBe(1);
    expect(await count(ctx.pool, 'select 1 from evidence_items where violation_id = $1', [violationId])).toBe(
      7,
    );
    expect(await count(ctx.pool, 'select 1 from review_tasks where violation_id = $1', [violationId])).toBe(
      1,
    );
    expect(await count(ctx.pool, `select 1 from audit_log where subject_id = $1`, [violationId])).toBe(1);
    expect((await ctx.blobs.get(`evidence/${violationId}/original-1.jpg`)).equals(firstOriginal)).toBe(true);
  });

  it('sends a single-stage district straight to legal review', async () => {
    const { cameraId, dedupeKey, evidence } = await confirmedStall('jingan');
    await evidence.handle({ cameraId, dedupeKey });
    const tasks = await ctx.pool.query('select stage from review_tasks where violation_id = $1', [
      violationUuidFor(dedupeKey),
    ]);
    expect(tasks.rows).toEqual([{ stage: 'legal' }]);
  });

  it('skips a camera that may not produce evidence, with the reasons, audited, and lets its frames go', async () => {
    const { cameraId, dedupeKey, evidence } = await confirmedStall();
    await ctx.pool.query('update cameras set published = false, technical_review_date = null where id = $1', [
      cameraId,
    ]);
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['skipped']);
    const candidate = await ctx.pool.query(
      'select status, skip_reason from violation_candidates where dedupe_key = $1',
      [dedupeKey],
    );
    expect(candidate.rows[0].status).toBe('skipped');
    expect(candidate.rows[0].skip_reason).toContain('technical review of the device is not recorded');
    expect(candidate.rows[0].skip_reason).toContain('device location is not published');
    expect(await count(ctx.pool, 'select 1 from violations where camera_id = $1', [cameraId])).toBe(0);
    const audit = await ctx.pool.query(
      `select data from audit_log where action = 'violation.skipped' and subject_id = $1`,
      [dedupeKey],
    );
    expect(audit.rows[0].data.reasons).toHaveLength(2);
    expect(await count(ctx.pool, 'select 1 from frames where camera_id = $1 and evidence', [cameraId])).toBe(
      0,
    );
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual([]);
  });

  it('keeps the frame store honest: a proof frame whose bytes changed is not used as evidence', async () => {
    const { cameraId, dedupeKey, evidence } = await confirmedStall();
    const { rows } = await ctx.pool.query('select storage_key from frames where camera_id = $1 and seq = 5', [
      cameraId,
    ]);
    await ctx.blobs.delete(rows[0].storage_key);
    await ctx.blobs.put(rows[0].storage_key, Buffer.from('not the frame'));
    expect(await evidence.handle({ cameraId, dedupeKey })).toEqual(['skipped']);
    const candidate = await ctx.pool.query(
      'select skip_reason from violation_candidates where dedupe_key = $1',
      [dedupeKey],
    );
    expect(candidate.rows[0].skip_reason).toMatch(/proof frame #5 fails its SHA-256 check/);
    expect(new FrameStore(ctx.blobs)).toBeDefined();
  });
});
