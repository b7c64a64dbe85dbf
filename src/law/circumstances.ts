import {
  AGGRAVATING_FACTORS,
  MITIGATING_FACTORS,
  type AggravatingFactor,
  type BenchmarkInput,
  type MitigatingFactor,
} from './benchmark.js';

/**
 * The circumstances a legal reviewer may record when approving a violation, each with the provision that makes
 * it count, and how they become the benchmark's inputs. The list follows the law (APL art. 32-33; Pudong
 * art. 15) rather than the bureau's catalogue file, because the catalogue may not add or remove a statutory
 * circumstance: it only sets the tiers they lead to.
 */

export const CORRECTION_SEEN_BY = {
  camera_recheck: '复查画面显示已改正',
  patrol: '执法人员现场巡查核实',
  party_evidence: '当事人提交的改正证明',
} as const;
export type CorrectionSeenBy = keyof typeof CORRECTION_SEEN_BY;

export interface CircumstanceEntry {
  label: string;
  /** The provision that gives this circumstance its effect. */
  law: string;
  kind: 'finding' | 'mitigating' | 'aggravating' | 'exemption';
}

export const CIRCUMSTANCES: Readonly<Record<string, CircumstanceEntry>> = {
  first_offence: { label: '初次违法', law: '《中华人民共和国行政处罚法》第三十三条第一款', kind: 'finding' },
  minor: { label: '违法行为轻微', law: '《中华人民共和国行政处罚法》第三十三条第一款', kind: 'finding' },
  corrected_in_time: {
    label: '及时改正',
    law: '《中华人民共和国行政处罚法》第三十三条第一款；《上海市浦东新区城市管理领域非现场执法规定》第十五条',
    kind: 'finding',
  },
  no_harm: {
    label: '没有造成危害后果',
    law: '《中华人民共和国行政处罚法》第三十三条第一款',
    kind: 'finding',
  },
  significant_harm: { label: '危害后果较重', law: '本裁量基准', kind: 'aggravating' },
  no_fault: {
    label: '有证据足以证明没有主观过错',
    law: '《中华人民共和国行政处罚法》第三十三条第二款',
    kind: 'exemption',
  },
  ...Object.fromEntries(
    Object.entries(MITIGATING_FACTORS).map(([code, label]) => [
      code,
      { label, law: '《中华人民共和国行政处罚法》第三十二条', kind: 'mitigating' as const },
    ]),
  ),
  ...Object.fromEntries(
    Object.entries(AGGRAVATING_FACTORS).map(([code, label]) => [
      code,
      { label, law: '本裁量基准', kind: 'aggravating' as const },
    ]),
  ),
};

export const CIRCUMSTANCE_CODES = Object.keys(CIRCUMSTANCES);

/** One circumstance as the reviewer records it: the code, the facts it rests on, and a note. */
export interface RecordedCircumstance {
  code: string;
  /** The facts or evidence the finding rests on (e.g. the re-check frame, the party's proof). */
  basis: string;
  note?: string;
  /** For `corrected_in_time`: how the correction was seen. */
  seenBy?: CorrectionSeenBy;
}

export class CircumstanceError extends Error {
  override name = 'CircumstanceError';
}

/** Checks what can be checked without the party's record: known codes, a basis for each, no contradiction. */
export function normaliseCircumstances(recorded: readonly RecordedCircumstance[]): RecordedCircumstance[] {
  const seen = new Set<string>();
  const out: RecordedCircumstance[] = [];
  for (const item of recorded) {
    const entry = CIRCUMSTANCES[item.code];
    if (!entry || !Object.hasOwn(CIRCUMSTANCES, item.code))
      throw new CircumstanceError(
        `情节“${item.code}”不在裁量情节目录中 / unknown circumstance "${item.code}" (known: ${CIRCUMSTANCE_CODES.join(', ')})`,
      );
    if (seen.has(item.code)) throw new CircumstanceError(`circumstance ${item.code} is recorded twice`);
    seen.add(item.code);
    const basis = item.basis?.trim() ?? '';
    if (!basis)
      throw new CircumstanceError(`情节“${entry.label}”须写明认定依据 / ${item.code} needs its basis`);
    if (item.code === 'corrected_in_time' && !(item.seenBy && Object.hasOwn(CORRECTION_SEEN_BY, item.seenBy)))
      throw new CircumstanceError(
        `及时改正须写明如何核实 / corrected_in_time needs seenBy: ${Object.keys(CORRECTION_SEEN_BY).join(', ')}`,
      );
    if (item.code !== 'corrected_in_time' && item.seenBy !== undefined)
      throw new CircumstanceError(`seenBy applies only to corrected_in_time, not ${item.code}`);
    const note = item.note?.trim();
    out.push({
      code: item.code,
      basis,
      ...(note ? { note } : {}),
      ...(item.seenBy ? { seenBy: item.seenBy } : {}),
    });
  }
  if (seen.has('no_harm') && seen.has('significant_harm'))
    throw new CircumstanceError('no_harm and significant_harm contradict each other');
  return out;
}

/** The benchmark's inputs from the recorded circumstances and the party's record of decided violations. */
export function benchmarkInputFrom(
  recorded: readonly RecordedCircumstance[],
  priorViolations: number,
): Omit<BenchmarkInput, 'partyKind'> {
  const items = normaliseCircumstances(recorded);
  const has = (code: string) => items.some((item) => item.code === code);
  if (has('first_offence') && priorViolations > 0)
    throw new CircumstanceError(
      `记录显示当事人十二个月内有同类违法决定${priorViolations}次，不是初次违法 / the party has ${priorViolations} decided violation(s) of this type in 12 months`,
    );
  return {
    priorViolations,
    correctedInTime: has('corrected_in_time'),
    circumstances: {
      minorViolation: has('minor'),
      harm: has('no_harm') ? 'none' : has('significant_harm') ? 'significant' : 'slight',
      noFaultProven: has('no_fault'),
      mitigating: items
        .filter((item) => CIRCUMSTANCES[item.code]!.kind === 'mitigating')
        .map((item) => item.code as MitigatingFactor),
      aggravating: items
        .filter((item) => item.code in AGGRAVATING_FACTORS)
        .map((item) => item.code as AggravatingFactor),
    },
  };
}

/** The sentences the decision prints for the recorded circumstances, before the benchmark's own reasons. */
export function circumstanceReasons(recorded: readonly RecordedCircumstance[]): string[] {
  return normaliseCircumstances(recorded).map((item) => {
    const entry = CIRCUMSTANCES[item.code]!;
    const seen = item.seenBy ? `，${CORRECTION_SEEN_BY[item.seenBy]}` : '';
    const note = item.note ? `；${item.note}` : '';
    return `经审查认定${entry.label}（${entry.law}）：${item.basis}${seen}${note}`;
  });
}
