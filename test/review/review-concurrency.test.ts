import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { caseFilingHook } from '../../src/cases/case-filing.service.js';
import { ReviewService } from '../../src/review/review.service.js';
import { ConflictError, ForbiddenError } from '../../src/shared/errors.js';
import { seedCamera, seedParty, seedViolationForReview } from '../support/seed-violations.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

let ctx: TestContext;
let review: ReviewService;
let cameraA: string;
let cameraB: string;
let partyA: string;

async function principal(
  username: string,
  role: StaffPrincipal['role'],
  districtId: string | null,
): Promise<StaffPrincipal> {
  const { id } = await seedStaff(ctx.pool, username, role, districtId);
  return { id, username, displayName: username, role, districtId };
}

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await ctx.pool.query(`update districts set case_prefix = 'PD' where id = 'pudong'`);
  await seedDistrict(ctx.pool, 'huangpu');
  await ctx.pool.query(`update districts set case_prefix = 'HP' where id = 'huangpu'`);
  cameraA = await seedCamera(ctx.pool, 'pudong');
  cameraB = await seedCamera(ctx.pool, 'huangpu');
  partyA = await seedParty(ctx.pool, 'pudong');
  review = new ReviewService(ctx.pool, ctx.blobs, caseFilingHook(), 600);
});
afterAll(() => ctx.close());

describe('review queue under concurrency', () => {
  it('50 reviewers claiming at once never share a task', async () => {
    for (let i = 0; i < 60; i++)
      await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId: cameraA });
    const reviewers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => principal(`ev${i}`, 'evidence_reviewer', 'pudong')),
    );
    const claimed = await Promise.all(reviewers.map((r) => review.claimNext(r, { order: 'oldest' })));
    const ids = claimed.map((t) => t?.id);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(50);
  });

  it('100 simultaneous approvals of one task create exactly one case', async () => {
    const legal = await principal('legal-one', 'legal_reviewer', 'pudong');
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: cameraA,
      partyId: partyA,
      stage: 'legal',
    });
    const task = await review.claimNext(legal, { order: 'oldest' });
    expect(task).not.toBeNull();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () =>
        review.decide(legal, task!.id, { decision: 'approve', partyId: partyA }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.every((r) => r.reason instanceof ConflictError)).toBe(true);
    const cases = await ctx.pool.query('select case_number from cases where violation_id = $1', [
      violationId,
    ]);
    expect(cases.rowCount).toBe(1);
    expect(cases.rows[0].case_number).toMatch(/^沪浦城管非现〔\d{4}〕第000001号$/);
  });

  it('concurrent approvals of different tasks get gap-free case numbers', async () => {
    const reviewers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => principal(`lg${i}`, 'legal_reviewer', 'pudong')),
    );
    for (let i = 0; i < 12; i++)
      await seedViolationForReview(ctx.pool, ctx.blobs, {
        districtId: 'pudong',
        cameraId: cameraA,
        partyId: partyA,
        stage: 'legal',
      });
    const tasks = await Promise.all(reviewers.map((r) => review.claimNext(r, { order: 'oldest' })));
    await Promise.all(
      tasks.map((t, i) => review.decide(reviewers[i]!, t!.id, { decision: 'approve', partyId: partyA })),
    );
    const { rows } = await ctx.pool.query<{ seq: number }>(
      `select seq from cases where district_id = 'pudong' order by seq`,
    );
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
    expect(rows.length).toBe(13);
  });

  it('an expired lease returns the task to the queue', async () => {
    const first = await principal('lease-1', 'legal_reviewer', 'huangpu');
    const second = await principal('lease-2', 'legal_reviewer', 'huangpu');
    await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'huangpu',
      cameraId: cameraB,
      stage: 'legal',
    });
    const held = await review.claimNext(first, { order: 'oldest' });
    expect(await review.claimNext(second, { order: 'oldest' })).toBeNull();
    await ctx.pool.query(
      `update review_tasks set lease_expires_at = now() - interval '1 second' where id = $1`,
      [held!.id],
    );
    const taken = await review.claimNext(second, { order: 'oldest' });
    expect(taken?.id).toBe(held!.id);
    await expect(
      review.decide(first, held!.id, { decision: 'reject', reasonCode: 'duplicate' }),
    ).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('review roles and districts', () => {
  it('an evidence reviewer cannot do legal review', async () => {
    const ev = await principal('ev-role', 'evidence_reviewer', 'pudong');
    const legal = await principal('lg-role', 'legal_reviewer', 'pudong');
    await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: cameraA,
      partyId: partyA,
      stage: 'legal',
    });
    const task = await review.claimNext(legal, { order: 'oldest' });
    await expect(review.open(ev, task!.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      review.decide(ev, task!.id, { decision: 'approve', partyId: partyA }),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("a reviewer of district A never gets district B's tasks", async () => {
    const rB = await principal('rb-only', 'evidence_reviewer', 'huangpu');
    const rA = await principal('ra-only', 'evidence_reviewer', 'pudong');
    const { taskId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'huangpu',
      cameraId: cameraB,
    });
    // drain A's queue: every task A gets is A's own district's
    for (
      let t = await review.claimNext(rA, { order: 'oldest' });
      t;
      t = await review.claimNext(rA, { order: 'oldest' })
    ) {
      expect(t.district_id).toBe('pudong');
      await review.decide(rA, t.id, { decision: 'reject', reasonCode: 'false_detection' });
    }
    await expect(review.open(rA, taskId)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await review.claimNext(rB, { order: 'oldest' }))?.id).toBe(taskId);
  });

  it('district staff cannot review', async () => {
    const staff = await principal('staff-nr', 'district_staff', 'pudong');
    await expect(review.claimNext(staff, { order: 'oldest' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('an approved evidence review opens the legal stage; a rejection counts against the camera', async () => {
    const ev = await principal('ev-flow', 'evidence_reviewer', 'huangpu');
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'huangpu',
      cameraId: cameraB,
    });
    let t = await review.claimNext(ev, { order: 'oldest' });
    while (t && t.violation_id !== violationId) {
      await review.decide(ev, t.id, { decision: 'reject', reasonCode: 'false_detection' });
      t = await review.claimNext(ev, { order: 'oldest' });
    }
    expect(await review.decide(ev, t!.id, { decision: 'approve' })).toEqual({ next: 'legal' });
    const legalTask = await ctx.pool.query(
      `select status from review_tasks where violation_id = $1 and stage = 'legal'`,
      [violationId],
    );
    expect(legalTask.rows[0].status).toBe('open');
  });
});
