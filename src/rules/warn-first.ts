import type { Box } from '../geometry/box.js';

/** A warning sent to a party, waiting for its re-check. */
export interface PendingWarning {
  violationId: string;
  /** The candidate scene the violation belongs to, while it is still tracked. */
  candidateId: string;
  partyId: string;
  box: Box;
  warnedAt: number;
  recheckAt: number;
}

export interface RecheckInput {
  now: number;
  recheckAt: number;
  /** The zone is enabled and inside its schedule on this frame. */
  zoneActive: boolean;
  /** A scene overlapping the warned one is seen on this frame. */
  observedNow: boolean;
  /** The warned violation has not ended (it may be briefly hidden). */
  violationOngoing: boolean;
}

/**
 * The re-check after the grace period, decided on one frame at or after `recheckAt`.
 *
 * - Seen again on this frame: escalate, with this frame as the proof.
 * - Not seen, but the violation has not ended: it may just be hidden this frame, so wait for a frame that either
 *   shows it or lets it clear (the clearing waits out the same miss tolerance as any violation).
 * - Not seen and ended: corrected.
 * Outside the zone's schedule nothing is enforced, so a warning whose re-check falls there counts as corrected:
 * the party is never penalised for goods that were allowed by then.
 */
export function recheckOutcome(input: RecheckInput): 'wait' | 'corrected' | 'escalate' {
  if (input.now < input.recheckAt) return 'wait';
  if (!input.zoneActive) return 'corrected';
  if (input.observedNow) return 'escalate';
  if (input.violationOngoing) return 'wait';
  return 'corrected';
}
