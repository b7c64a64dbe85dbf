import type { Queryable } from '../db/pool.js';
import {
  insertCandidate,
  proofFrameSeqs,
  recordRecheckDue,
  recordRecheckOutcome,
  recordViolationEnd,
} from '../evidence/candidate.repo.js';
import { dedupeKeyFor } from '../evidence/evidence-ids.js';
import { pinProofFrames } from '../ingest/frame.repo.js';
import type { RuleEvent } from './rule-events.js';

/*
 * Turns the engine's events into rows, inside the transaction that saves the camera's state: either both are
 * written or neither, so a retried rules job neither loses an event nor records one twice.
 */

export interface EventOnFrame {
  event: RuleEvent;
  frameId: number;
  cameraVersion: number;
}

/** Work for the evidence stage once the transaction has committed. */
export interface EvidenceFollowUp {
  dedupeKey: string;
  phase: 'package' | 'recheck';
  engineViolationId: string;
}

export async function recordRuleEvents(
  tx: Queryable,
  camera: { cameraId: string; epoch: string },
  events: readonly EventOnFrame[],
): Promise<EvidenceFollowUp[]> {
  const followUps: EvidenceFollowUp[] = [];
  for (const { event, cameraVersion } of events) {
    const dedupeKey = dedupeKeyFor(event.violationId, camera.epoch);
    const base = { dedupeKey, engineViolationId: event.violationId };
    switch (event.type) {
      case 'violation_started': {
        const created = await insertCandidate(tx, {
          dedupeKey,
          cameraId: camera.cameraId,
          cameraVersion,
          event,
        });
        await pinProofFrames(tx, camera.cameraId, (await proofFrameSeqs(tx, camera.cameraId, event)).seqs);
        if (created) followUps.push({ ...base, phase: 'package' });
        break;
      }
      case 'warning_due':
        await recordRecheckDue(tx, dedupeKey, new Date(event.recheckAt));
        break;
      case 'violation_ended':
        // A cleared scene was last there when it was last seen; a schedule or zone change ends it on this frame.
        await recordViolationEnd(
          tx,
          dedupeKey,
          new Date(event.reason === 'cleared' ? event.lastSeenAt : event.at),
          event.reason,
        );
        break;
      case 'warning_rechecked': {
        if (event.outcome === 'escalate') await pinProofFrames(tx, camera.cameraId, [event.seq]);
        if (await recordRecheckOutcome(tx, dedupeKey, event.outcome, event)) {
          followUps.push({ ...base, phase: 'recheck' });
        }
        break;
      }
    }
  }
  return followUps;
}
