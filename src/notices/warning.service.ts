import type { Queryable } from '../db/pool.js';
import { jobIds } from '../queue/jobs.js';
import type { Queues } from '../queue/queues.js';

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
  const party = await tx.query<PartyContacts>('select phone, email from parties where id = $1', [
    input.partyId,
  ]);
  if (!party.rows[0]) {
    throw new WarningPartyError(`party ${input.partyId} named by the shop front line is not in the register`);
  }
  const channels = warningChannels(party.rows[0]);
  const inserted = await tx.query<{ id: string }>(
    `insert into notices (violation_id, party_id, kind) values ($1, $2, 'warning')
     on conflict (violation_id) where kind = 'warning' do nothing
     returning id`,
    [input.violationId, input.partyId],
  );
  if (!inserted.rows[0]) {
    const existing = await warningOf(tx, input.violationId);
    return { ...existing!, created: false };
  }
  const noticeId = inserted.rows[0].id;
  const deliveryIds: string[] = [];
  for (const channel of channels) {
    const { rows } = await tx.query<{ id: string }>(
      `insert into deliveries (notice_id, channel) values ($1, $2) returning id`,
      [noticeId, channel],
    );
    deliveryIds.push(rows[0]!.id);
  }
  return { noticeId, deliveryIds, channels, created: true };
}

/** The violation's warning notice with its deliveries still to be sent, or null when it has none. */
export async function warningOf(
  db: Queryable,
  violationId: string,
): Promise<Omit<WarningNotice, 'created'> | null> {
  const { rows } = await db.query<{
    notice_id: string;
    delivery_id: string | null;
    channel: DeliveryChannel | null;
  }>(
    `select n.id as notice_id, d.id as delivery_id, d.channel
       from notices n left join deliveries d on d.notice_id = n.id and d.status = 'pending'
      where n.violation_id = $1 and n.kind = 'warning'
      order by d.created_at, d.channel`,
    [violationId],
  );
  if (rows.length === 0) return null;
  const pending = rows.filter((r) => r.delivery_id !== null);
  return {
    noticeId: rows[0]!.notice_id,
    deliveryIds: pending.map((r) => r.delivery_id!),
    channels: pending.map((r) => r.channel!),
  };
}

/** After the commit: one `deliver` job per delivery, with fixed ids so a repeat adds nothing. */
export async function enqueueDeliveries(
  queues: Pick<Queues, 'enqueue'>,
  deliveryIds: readonly string[],
): Promise<void> {
  for (const deliveryId of deliveryIds) {
    await queues.enqueue('deliver', { deliveryId }, { jobId: jobIds.deliver(deliveryId) });
  }
}
