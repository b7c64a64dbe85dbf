import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { WorkingCalendar } from '../law/calendar.js';
import { addDays, compareDates, fromDayNumber, toDayNumber, type LocalDate } from '../law/local-date.js';

/*
 * Credit publication (信用公示) and repair (信用修复), pure rules:
 * - APL art. 48: "具有一定社会影响的行政处罚决定应当依法公开。公开的行政处罚决定被依法变更、撤销、确认违法或者确认
 *   无效的，行政机关应当在三日内撤回行政处罚决定信息并公开说明理由。"
 * - Shanghai social credit regulation art. 37 (revoked information deleted within three working days of the
 *   written notice) and art. 38 (a repair record: the information leaves the query interface within three
 *   working days of the written proof).
 * Which matters are published, to whom and for how long is versioned configuration (config/credit/<version>.json),
 * like the catalogue: a decision is judged by the version in force on the day it was decided.
 */

export const PUBLICATION_KINDS = ['person', 'unit'] as const;
export type PublicationPartyKind = (typeof PUBLICATION_KINDS)[number];

const MatterSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]*$', description: 'Violation type code of the catalogue' }),
    publish: Type.Boolean({ description: 'Whether decisions on this matter are published (APL art. 48)' }),
    periodMonths: Type.Integer({
      minimum: 0,
      maximum: 60,
      description:
        'Months a published item stays on the public page (at most five years: SH credit reg. art. 35)',
    }),
    partyKinds: Type.Array(Type.Union(PUBLICATION_KINDS.map((k) => Type.Literal(k))), {
      description: 'Party kinds whose decisions are published',
    }),
  },
  { additionalProperties: false },
);

export const PublicationRulesSchema = Type.Object(
  {
    version: Type.String({ pattern: '^[0-9A-Za-z._-]{1,32}$' }),
    effectiveFrom: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    title: Type.String({ minLength: 1 }),
    reviewNotice: Type.String(),
    matters: Type.Array(MatterSchema),
  },
  { additionalProperties: false },
);

export type PublicationRules = Static<typeof PublicationRulesSchema>;
export type PublicationMatter = Static<typeof MatterSchema>;

export class PublicationRulesError extends Error {
  override name = 'PublicationRulesError';
}

export function parsePublicationRules(raw: unknown): PublicationRules {
  const first = Value.Errors(PublicationRulesSchema, raw).First();
  if (first) throw new PublicationRulesError(`credit rules ${first.path || '/'}: ${first.message}`);
  const rules = raw as PublicationRules;
  const seen = new Set<string>();
  for (const m of rules.matters) {
    if (seen.has(m.code)) throw new PublicationRulesError(`credit rules ${rules.version}: ${m.code} twice`);
    seen.add(m.code);
    if (m.publish && (m.periodMonths < 1 || m.partyKinds.length === 0))
      throw new PublicationRulesError(
        `credit rules ${rules.version}: ${m.code} is published but has no period or party kind`,
      );
  }
  return rules;
}

/** The version in force on `day`: the latest whose effectiveFrom is not after it; null before the first. */
export function rulesInForce(all: Iterable<PublicationRules>, day: LocalDate): PublicationRules | null {
  let best: PublicationRules | null = null;
  for (const r of all)
    if (
      compareDates(r.effectiveFrom, day) <= 0 &&
      (!best || compareDates(r.effectiveFrom, best.effectiveFrom) > 0)
    )
      best = r;
  return best;
}

/** How a decision is published under `rules`: null when its matter or its party's kind is not published. */
export function publicationOf(
  rules: PublicationRules,
  code: string,
  kind: PublicationPartyKind,
  decidedOn: LocalDate,
): { from: LocalDate; until: LocalDate; rulesVersion: string } | null {
  const matter = rules.matters.find((m) => m.code === code);
  if (!matter?.publish || !matter.partyKinds.includes(kind)) return null;
  return { from: decidedOn, until: addMonths(decidedOn, matter.periodMonths), rulesVersion: rules.version };
}

/** Every `code:kind` pair some version publishes: the cases worth reading at all. */
export function publishablePairs(all: Iterable<PublicationRules>): string[] {
  const pairs = new Set<string>();
  for (const r of all)
    for (const m of r.matters) if (m.publish) for (const k of m.partyKinds) pairs.add(`${m.code}:${k}`);
  return [...pairs].sort();
}

/** The same day `months` later, or the month's last day when it has none (2026-01-31 + 1 → 2026-02-28). */
export function addMonths(day: LocalDate, months: number): LocalDate {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const first = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;
  const lastDay = toDayNumber(nextMonthFirst(year, month)) - toDayNumber(first);
  return fromDayNumber(toDayNumber(first) + Math.min(d, lastDay) - 1);
}

function nextMonthFirst(year: number, month: number): LocalDate {
  const y = month === 12 ? year + 1 : year;
  const m = month === 12 ? 1 : month + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

/** Whether an item is on the public page on `today`: published and within its period (both ends included). */
export function isShown(
  item: { status: string; publishFrom: LocalDate; publishUntil: LocalDate },
  today: LocalDate,
): boolean {
  return (
    item.status === 'published' &&
    compareDates(item.publishFrom, today) <= 0 &&
    compareDates(today, item.publishUntil) <= 0
  );
}

/** APL art. 48: a changed or revoked decision is withdrawn within three (calendar) days. */
export const WITHDRAW_DAYS = 3;
export function withdrawalDueOn(changedOn: LocalDate): LocalDate {
  return addDays(changedOn, WITHDRAW_DAYS);
}

/** SH credit regulation art. 38: a granted repair leaves the public view within three working days. */
export const REPAIR_REMOVAL_WORKING_DAYS = 3;
export function repairRemovalDueOn(grantedOn: LocalDate, calendar: WorkingCalendar): LocalDate {
  return calendar.addWorkingDays(grantedOn, REPAIR_REMOVAL_WORKING_DAYS);
}

/** A removal (withdrawal or repair) is late when it happened after its due day or has not happened by now. */
export function removalLate(dueOn: LocalDate, removedOn: LocalDate | null, today: LocalDate): boolean {
  return compareDates(removedOn ?? today, dueOn) > 0;
}

/** 张三 → 张*, 欧阳小明 → 欧***: an individual's name on the public page (APL art. 50: personal privacy). */
export function maskPersonName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** 310115199001011234 → 310115********1234; a short number keeps only its last two characters. */
export function maskIdNumber(id: string): string {
  const chars = [...id.trim()];
  if (chars.length >= 15)
    return chars.slice(0, 6).join('') + '*'.repeat(chars.length - 10) + chars.slice(-4).join('');
  return '*'.repeat(Math.max(1, chars.length - 2)) + chars.slice(-2).join('');
}

/** What the public sees of a party: a unit's name and unified social credit code in full, a person's masked. */
export function publicParty(party: { kind: PublicationPartyKind; name: string; idNumber: string }): {
  name: string;
  code: string;
} {
  return party.kind === 'unit'
    ? { name: party.name, code: party.idNumber }
    : { name: maskPersonName(party.name), code: maskIdNumber(party.idNumber) };
}
