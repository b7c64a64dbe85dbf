import type { Box } from '../geometry/box.js';
import type { ZoneKind } from '../zones/zone.schema.js';

export type RuleName = 'street_stall' | 'shop_encroachment' | 'illegal_dumping';
export const RULE_NAMES: readonly RuleName[] = ['street_stall', 'shop_encroachment', 'illegal_dumping'];

export const RULE_OF_ZONE_KIND: Record<Exclude<ZoneKind, 'ignore'>, RuleName> = {
  no_stall: 'street_stall',
  shop_front: 'shop_encroachment',
  dumping_spot: 'illegal_dumping',
};

interface RuleEventBase {
  rule: RuleName;
  zoneId: string;
  zoneName: string;
  /** Stable for the camera's rules state: the same frames replayed from the same stored state give the same id. */
  violationId: string;
  /** The rules config version the decision was made under. */
  configVersion: string;
  /** The frame the decision was made on: its capture time (epoch ms) and sequence number. */
  at: number;
  seq: number;
}

/** A candidate scene stayed for the dwell time: it is now a violation. */
export interface ViolationStartedEvent extends RuleEventBase {
  type: 'violation_started';
  /** Tracks that made up the scene (none when it was found only by scene change). */
  trackIds: string[];
  labels: string[];
  /** The scene's box on the confirming frame, normalised. */
  box: Box;
  /** Whether the background model contributed (a pile with no detector class). */
  sceneChange: boolean;
  /** First frame of the continuous stay the dwell counts from; with the confirming frame, the proof of dwell. */
  firstSeenAt: number;
  firstSeenSeq: number;
  confirmedAt: number;
  confirmedSeq: number;
  /**
   * For an object someone stayed by: the last frame they did (the person leaving), and the first frame it was
   * left alone. Absent when nobody ever stayed by it.
   */
  attendedUntilSeq?: number;
  leftAloneSeq?: number;
  dwellSeconds: number;
  /** The party the zone names (shop front lines), or null when unknown. */
  partyId: string | null;
  /** True when a warning goes first and the case waits for the re-check; false when it goes to review now. */
  warnFirst: boolean;
}

export type ViolationEndReason = 'cleared' | 'schedule_ended' | 'zone_disabled' | 'zone_removed';

/** An ongoing violation is over: its scene cleared, or its zone stopped being enforced. */
export interface ViolationEndedEvent extends RuleEventBase {
  type: 'violation_ended';
  reason: ViolationEndReason;
  /** Last frame on which the scene was seen. */
  lastSeenAt: number;
  lastSeenSeq: number;
}

/** Warn first: the known party should be told to correct within the grace period. */
export interface WarningDueEvent extends RuleEventBase {
  type: 'warning_due';
  partyId: string;
  graceSeconds: number;
  /** When the scene will be re-checked (epoch ms). */
  recheckAt: number;
}

/**
 * corrected: the scene was clear after the grace period, so the violation closes without penalty.
 * escalate: the scene was still there on the frame `seq`, so the violation goes to review.
 * withdrawn: the zone was disabled or removed before the re-check, so nothing can be decided.
 */
export type RecheckOutcome = 'corrected' | 'escalate' | 'withdrawn';

export interface WarningRecheckedEvent extends RuleEventBase {
  type: 'warning_rechecked';
  outcome: RecheckOutcome;
  partyId: string;
}

export type RuleEvent = ViolationStartedEvent | ViolationEndedEvent | WarningDueEvent | WarningRecheckedEvent;
