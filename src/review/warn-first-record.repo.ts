import type { Queryable } from '../db/pool.js';
import { findCandidateOfViolation } from '../evidence/candidate.repo.js';
import {
  warnFirstRecord,
  type RecheckFact,
  type WarningDeliveryFact,
  type WarnFirstRecord,
} from './warn-first-record.js';

/**
 * The warn-first record of a violation: its grace period, warning notice, deliveries and re-check. Null for a
 * violation that was not warned first (no re-check was planned and no warning written).
 */
export async function loadWarnFirstRecord(
  db: Queryable,
  violationId: string,
  details: Record<string, unknown>,
): Promise<WarnFirstRecord | null> {
  const candidate = await findCandidateOfViolation(db, violationId);
  const notice = await db.query<{ id: string; created_at: Date }>(
    `select id, created_at from notices where violation_id = $1 and kind = 'warning'`,
    [violationId],
  );
  const warning = notice.rows[0];
  if (!candidate?.recheck_at && !warning) return null;
  const deliveries = warning
    ? (
        await db.query<{
          channel: string;
          status: WarningDeliveryFact['status'];
          sent_at: Date | null;
          delivered_at: Date | null;
          last_error: string | null;
        }>(
          `select channel, status, sent_at, delivered_at, last_error
             from deliveries where notice_id = $1 order by created_at, channel`,
          [warning.id],
        )
      ).rows
    : [];
  const graceMs =
    candidate?.recheck_at != null ? candidate.recheck_at.getTime() - candidate.event.confirmedAt : null;
  return warnFirstRecord({
    graceMs,
    warningWrittenAt: warning?.created_at ?? null,
    deliveries: deliveries.map((d) => ({
      channel: d.channel,
      status: d.status,
      sentAt: d.sent_at,
      deliveredAt: d.delivered_at,
      lastError: d.last_error,
    })),
    recheck: (details.recheck as RecheckFact | undefined) ?? null,
  });
}
