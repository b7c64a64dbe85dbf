/*
 * Whether a warning has reached its party, and from when its grace period runs. Pudong art. 15 makes the warning
 * the party's chance to correct ("应当通过短信告知或者语音电话等方式进行劝阻教育，责令及时改正；当事人及时改正且违法行为
 * 轻微的，不予处罚"), so the time to correct counts from the moment the party was told, not from when the camera
 * confirmed the scene: from the earliest delivery receipt, or, where a channel sends none, from when the message
 * went out. A voice call that staff record as answered (the party warned and told to correct) tells the party too:
 * the grace period runs from the call when no SMS or other delivery reached the party earlier. A call not yet
 * made keeps an otherwise untold warning pending; an unanswered call changes nothing.
 */

export interface WarningDeliveryFact {
  channel: string;
  status: 'pending' | 'sent' | 'delivered' | 'failed' | 'fallback';
  sentAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
}

/** A voice call task of the warning: open (outcome null) or recorded. */
export interface WarningCallFact {
  outcome: 'answered' | 'no_answer' | null;
  calledAt: Date | null;
}

export type WarningReach =
  /** Told: the grace period runs from `at` (a receipt's time, the send's when no receipt came, or a call's). */
  | { state: 'told'; at: Date; channel: string; by: 'receipt' | 'sent' | 'call' }
  /** Some delivery is still being tried. */
  | { state: 'pending' }
  /** Every delivery failed or went to post (which staff have not confirmed), or there was none. */
  | { state: 'undelivered'; why: string };

export function warningReach(
  deliveries: readonly WarningDeliveryFact[],
  calls: readonly WarningCallFact[] = [],
): WarningReach {
  const byDelivery = deliveryReach(deliveries);
  const answered = calls
    .filter((c) => c.outcome === 'answered' && c.calledAt !== null)
    .map((c) => c.calledAt!)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  if (answered && (byDelivery.state !== 'told' || answered < byDelivery.at))
    return { state: 'told', at: answered, channel: 'voice_call', by: 'call' };
  if (byDelivery.state === 'undelivered' && calls.some((c) => c.outcome === null))
    return { state: 'pending' };
  return byDelivery;
}

function deliveryReach(deliveries: readonly WarningDeliveryFact[]): WarningReach {
  const earliest = (facts: WarningDeliveryFact[], at: (f: WarningDeliveryFact) => Date | null) =>
    facts.sort((a, b) => at(a)!.getTime() - at(b)!.getTime())[0];
  const received = earliest(
    deliveries.filter((d) => d.deliveredAt !== null && d.status !== 'failed'),
    (d) => d.deliveredAt,
  );
  if (received) return { state: 'told', at: received.deliveredAt!, channel: received.channel, by: 'receipt' };
  const sent = earliest(
    deliveries.filter((d) => d.status === 'sent' && d.sentAt !== null),
    (d) => d.sentAt,
  );
  if (sent) return { state: 'told', at: sent.sentAt!, channel: sent.channel, by: 'sent' };
  if (deliveries.some((d) => d.status === 'pending')) return { state: 'pending' };
  const why =
    deliveries.length === 0
      ? 'the warning has no delivery'
      : deliveries
          .map((d) => `${d.channel}: ${d.status}${d.lastError ? ` (${d.lastError})` : ''}`)
          .join('; ');
  return { state: 'undelivered', why };
}

/** When the grace period ends for a party told at `reach.at`; null while the party is not told. */
export function graceEndsAt(reach: WarningReach, graceMs: number): Date | null {
  return reach.state === 'told' ? new Date(reach.at.getTime() + graceMs) : null;
}
