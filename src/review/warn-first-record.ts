/*
 * What a reviewer must see before approving a violation that went through warn-first (Pudong art. 15): a penalty
 * is lawful only when the party was told to correct and did not within the grace period. So the review shows
 * when the warning was written, how each delivery went, when it reached the party, how much of the grace period
 * the party really had, and what the re-check found, with every doubt spelt out. Pure: the facts come from
 * warn-first-record.repo.ts.
 */

export type DeliveryStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'fallback';

export interface WarningDeliveryFact {
  channel: string;
  status: DeliveryStatus;
  sentAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
}

export interface RecheckFact {
  outcome: 'escalate' | 'unchecked' | 'corrected' | 'withdrawn';
  decidedAt: string;
  note?: string;
  warnedAfterRecheck?: boolean;
}

export interface WarnFirstFacts {
  /** The grace period the engine waited (re-check time less confirmation time, on the capture clock). */
  graceMs: number | null;
  /** When the warning notice was written (the database's clock); null when there is none. */
  warningWrittenAt: Date | null;
  deliveries: readonly WarningDeliveryFact[];
  recheck: RecheckFact | null;
}

/** What a time line entry records, for pages that word it in their reader's language. */
export type TimelineStep =
  | { kind: 'first_seen' | 'confirmed' }
  | { kind: 'warning_written'; graceMs: number | null }
  | { kind: 'warning_sent' | 'warning_delivered'; channel: string }
  | { kind: 'recheck'; outcome: RecheckFact['outcome'] };

/** What a concern is about, for pages that word it in their reader's language (`concerns` holds the English). */
export type Concern =
  | { kind: 'no_warning' | 'warned_after_recheck' }
  | {
      kind: 'not_delivered';
      deliveries: { channel: string; status: DeliveryStatus; lastError: string | null }[];
    }
  | { kind: 'delivered_late'; channel: string; lateMs: number; graceMs: number; timeToCorrectMs: number }
  | { kind: 'recheck_unchecked'; note: string | null };

export interface TimelineEntry {
  at: Date;
  what: string;
  step?: TimelineStep;
}

export interface WarnFirstRecord {
  graceMs: number | null;
  warningWrittenAt: Date | null;
  deliveries: readonly WarningDeliveryFact[];
  recheck: RecheckFact | null;
  /** The first confirmed delivery, and its channel; null when none is confirmed. */
  firstDelivered: { at: Date; channel: string } | null;
  /** Time between the warning reaching the party and the end of the grace period; null when it never did. */
  timeToCorrectMs: number | null;
  /** Plain-language doubts about whether the party had its chance to correct; empty when there are none. */
  concerns: string[];
  /** the same concerns, each by what it is about */
  concernSteps: Concern[];
  /** The warning, deliveries and re-check as dated steps, for the violation's time line. */
  timeline: TimelineEntry[];
}

/**
 * A warning that reaches the party within this of being written gives the whole grace period: a minute, or a
 * tenth of a short grace period.
 */
export const DELIVERY_SLACK_MS = 60_000;

export function formatDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = [h ? `${h} h` : '', m ? `${m} min` : '', sec || (!h && !m) ? `${sec} s` : ''];
  return parts.filter(Boolean).join(' ');
}

const OUTCOME_TEXT: Record<RecheckFact['outcome'], string> = {
  escalate: 're-check after the grace period: still there, sent to review',
  unchecked: 're-check could not be made, sent to review',
  corrected: 're-check after the grace period: corrected, no penalty',
  withdrawn: 're-check withdrawn: the zone was disabled or removed',
};

export function warnFirstRecord(facts: WarnFirstFacts): WarnFirstRecord {
  const { graceMs, warningWrittenAt, deliveries, recheck } = facts;
  const delivered = deliveries
    .filter((d) => d.deliveredAt !== null)
    .sort((a, b) => a.deliveredAt!.getTime() - b.deliveredAt!.getTime());
  const firstDelivered = delivered[0]
    ? { at: delivered[0].deliveredAt!, channel: delivered[0].channel }
    : null;
  const graceEnd =
    warningWrittenAt && graceMs !== null ? new Date(warningWrittenAt.getTime() + graceMs) : null;
  const timeToCorrectMs =
    graceEnd && firstDelivered ? graceEnd.getTime() - firstDelivered.at.getTime() : null;

  const concerns: string[] = [];
  const concernSteps: Concern[] = [];
  if (!warningWrittenAt) {
    concernSteps.push({ kind: 'no_warning' });
    concerns.push('No warning notice is recorded for this violation.');
  } else {
    if (recheck?.warnedAfterRecheck) {
      concernSteps.push({ kind: 'warned_after_recheck' });
      concerns.push(
        'The warning was written only after the re-check had decided: the party had no grace period.',
      );
    }
    if (!firstDelivered) {
      const how = deliveries.length
        ? deliveries
            .map((d) => `${d.channel}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`)
            .join('; ')
        : 'no delivery was made';
      concernSteps.push({
        kind: 'not_delivered',
        deliveries: deliveries.map((d) => ({ channel: d.channel, status: d.status, lastError: d.lastError })),
      });
      concerns.push(
        `No delivery of the warning is confirmed (${how}): the party may not have known it had to correct.`,
      );
    } else if (
      graceMs !== null &&
      timeToCorrectMs !== null &&
      timeToCorrectMs < graceMs - Math.min(DELIVERY_SLACK_MS, graceMs / 10)
    ) {
      const late = firstDelivered.at.getTime() - warningWrittenAt.getTime();
      concernSteps.push({
        kind: 'delivered_late',
        channel: firstDelivered.channel,
        lateMs: late,
        graceMs,
        timeToCorrectMs,
      });
      concerns.push(
        timeToCorrectMs <= 0
          ? `The warning reached the party (${firstDelivered.channel}) ${formatDuration(late)} after it was ` +
              `written, after the grace period of ${formatDuration(graceMs)} had ended.`
          : `The warning reached the party (${firstDelivered.channel}) ${formatDuration(late)} after it was ` +
              `written: it had ${formatDuration(timeToCorrectMs)} of the ${formatDuration(graceMs)} grace ` +
              'period to correct.',
      );
    }
  }
  if (recheck?.outcome === 'unchecked') {
    concernSteps.push({ kind: 'recheck_unchecked', note: recheck.note ?? null });
    concerns.push(`The re-check could not be made${recheck.note ? `: ${recheck.note}` : '.'}`);
  }

  const timeline: TimelineEntry[] = [];
  if (warningWrittenAt) {
    timeline.push({
      at: warningWrittenAt,
      step: { kind: 'warning_written', graceMs },
      what:
        graceMs !== null ? `warning written: correct within ${formatDuration(graceMs)}` : 'warning written',
    });
  }
  for (const d of deliveries) {
    if (d.sentAt)
      timeline.push({
        at: d.sentAt,
        step: { kind: 'warning_sent', channel: d.channel },
        what: `warning sent by ${d.channel}`,
      });
    if (d.deliveredAt)
      timeline.push({
        at: d.deliveredAt,
        step: { kind: 'warning_delivered', channel: d.channel },
        what: `warning delivered by ${d.channel}`,
      });
  }
  if (recheck)
    timeline.push({
      at: new Date(recheck.decidedAt),
      step: { kind: 'recheck', outcome: recheck.outcome },
      what: OUTCOME_TEXT[recheck.outcome],
    });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  return {
    graceMs,
    warningWrittenAt,
    deliveries,
    recheck,
    firstDelivered,
    timeToCorrectMs,
    concerns,
    concernSteps,
    timeline,
  };
}
