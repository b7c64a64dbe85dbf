import sharp from 'sharp';
import { caseFilingHook } from '../../src/cases/case-filing.service.js';
import { idNumberCheckChar } from '../../src/parties/identity-codes.js';
import { ReviewService } from '../../src/review/review.service.js';
import type { StaffPrincipal } from '../../src/auth/principal.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import type { TestContext } from '../support/test-app.js';

/** A field task as production makes one: the legal review approves the evidence and sends it to the patrol. */
export async function sendToField(
  ctx: TestContext,
  seed: { cameraId: string; legal: StaffPrincipal },
): Promise<{ violationId: string; fieldTaskId: string }> {
  const review = new ReviewService(ctx.pool, ctx.blobs, caseFilingHook());
  const { violationId, taskId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
    districtId: 'pudong',
    cameraId: seed.cameraId,
    partyId: null,
    stage: 'legal',
  });
  await ctx.pool.query(
    `update review_tasks set status = 'claimed', claimed_by = $2, lease_expires_at = now() + interval '10 minutes' where id = $1`,
    [taskId, seed.legal.id],
  );
  const result = await review.decide(seed.legal, taskId, { decision: 'approve', sendToField: true });
  if (!result.fieldTaskId) throw new Error('no field task was made');
  return { violationId, fieldTaskId: result.fieldTaskId };
}

/** A person's identity number with its right check digit (GB 11643). */
export function validIdNumber(): string {
  const first17 = `31011519850615${Math.floor(Math.random() * 1e3)
    .toString()
    .padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17)!;
}

/** A small JPEG as a phone would take one. */
export async function photoJpeg(shade = 120): Promise<Buffer> {
  return sharp({ create: { width: 24, height: 16, channels: 3, background: { r: shade, g: 100, b: 60 } } })
    .jpeg()
    .toBuffer();
}
