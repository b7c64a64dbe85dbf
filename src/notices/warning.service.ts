import type { Queryable } from '../db/pool.js';
import { findPartyContacts } from '../parties/party.repo.js';
import { insertDelivery, insertWarningNotice, warningDeliveries } from './notice.repo.js';

/*
 * Warn first (Pudong art. 15; APL art. 33): the party of a minor violation is first told to correct it. This
 * writes the warning notice and one delivery per channel the party can be reached on; the delivery worker sends
 * them. It runs inside the transaction that records the violation as warned, so a violation is never warned
 * without its notice, and the unique index on warnings makes a retried job write nothing twice.
 */

export type DeliveryChannel = 'sms' | 'email' | 'postal';

export interface PartyContacts {
  phone: string | null;
  email: string | null;
}

/** SMS when there is a phone, email when there is an address; post only when neither. */
export function warningChannels(party: PartyContacts): DeliveryChannel[] {
  const channels: DeliveryChannel[] = [];
  if (party.phone?.trim()) channels.push('sms');
  if (party.email?.trim()) channels.push('email');
  return channels.length > 0 ? channels : ['postal'];
}

export interface WarningNotice {
  noticeId: string;
  deliveryIds: string[];
  channels: DeliveryChannel[];
  /** False when the violation already had its warning (a retry). */
  created: boolean;
}

export class WarningPartyError extends Error {
  override name = 'WarningPartyError';
}

export async function createWarningNotice(
  tx: Queryable,
  input: { violationId: string; partyId: string },
): Promise<WarningNotice> {
  const party = await findPartyContacts(tx, input.partyId);
  if (!party) {
    throw new WarningPartyError(`party ${input.partyId} named by the shop front line is not in the register`);
  }
  const channels = warningChannels(party);
  const noticeId = await insertWarningNotice(tx, input.violationId, input.partyId);
  if (!noticeId) {
    const existing = await warningOf(tx, input.violationId);
    return { ...existing!, created: false };
  }
  const deliveryIds: string[] = [];
  for (const channel of channels) {
    deliveryIds.push(await insertDelivery(tx, { noticeId, channel, address: null }));
  }
  return { noticeId, deliveryIds, channels, created: true };
}

/** The violation's warning notice with its deliveries still to be sent, or null when it has none. */
export async function warningOf(
  db: Queryable,
  violationId: string,
): Promise<Omit<WarningNotice, 'created'> | null> {
  const rows = await warningDeliveries(db, violationId);
  if (rows.length === 0) return null;
  const pending = rows.filter((r) => r.delivery_id !== null);
  return {
    noticeId: rows[0]!.notice_id,
    deliveryIds: pending.map((r) => r.delivery_id!),
    // A warning's deliveries are made on the channels warningChannels picks: never push.
    channels: pending.map((r) => r.channel as DeliveryChannel),
  };
}
