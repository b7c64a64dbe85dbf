import { HARM_LEVELS, PARTY_KINDS, type Catalogue, type PartyKind, type TierCondition } from './catalogue.js';
import { formatCitation } from './legal-citation.js';
import { formatYuan } from './money.js';

/**
 * What the bureau publishes from a catalogue version (APL art. 34; Pudong art. 4): the matters it handles by
 * non-site enforcement, the discretion benchmark per violation type and party kind with its tiers, and the list
 * of situations in which no penalty is given (免罚清单). Built from the same catalogue the cases use, so what is
 * published is what is applied.
 */

export const PARTY_KIND_NAMES: Readonly<Record<PartyKind, string>> = { individual: '个人', unit: '单位' };
const HARM_NAMES = { none: '没有造成危害后果', slight: '危害后果轻微', significant: '危害后果较重' } as const;

export interface PublishedVersion {
  version: string;
  effectiveFrom: string;
  title: string;
}

export interface PublishedMatter {
  code: string;
  name: string;
  shortName: string;
  violatedProvision: string;
  penaltyProvision: string;
  /** e.g. 个人：50元至500元 */
  fineRanges: { partyKind: PartyKind; partyKindName: string; range: string }[];
  correctionOrder: string;
  collectiveDiscussion: string | null;
}

export interface PublishedTier {
  id: string;
  label: string;
  conditions: string;
  penalty: string;
  reason: string;
}

export interface PublishedBenchmark {
  code: string;
  shortName: string;
  partyKind: PartyKind;
  partyKindName: string;
  statutoryRange: string;
  tiers: PublishedTier[];
}

export interface PublishedNoPenalty {
  code: string;
  shortName: string;
  situation: string;
  conditions: string;
  basis: string;
}

export function publishedVersion(catalogue: Catalogue): PublishedVersion {
  return { version: catalogue.version, effectiveFrom: catalogue.effectiveFrom, title: catalogue.title };
}

const range = (minFen: number, maxFen: number): string =>
  minFen === 0 ? `${formatYuan(maxFen)}以下` : `${formatYuan(minFen)}至${formatYuan(maxFen)}`;

export function describeConditions(when: TierCondition): string {
  const parts: string[] = [];
  const { minPriorViolations: min, maxPriorViolations: max } = when;
  if (max === 0) parts.push('十二个月内无同类违法决定（初次违法）');
  else if (min !== undefined && max !== undefined && min === max)
    parts.push(`十二个月内有同类违法决定${min}次`);
  else if (min !== undefined && max !== undefined) parts.push(`十二个月内有同类违法决定${min}至${max}次`);
  else if (min !== undefined) parts.push(`十二个月内有同类违法决定${min}次以上`);
  else if (max !== undefined) parts.push(`十二个月内有同类违法决定不超过${max}次`);
  if (when.minorViolation === true) parts.push('违法行为轻微');
  if (when.minorViolation === false) parts.push('违法行为不属轻微');
  if (when.correctedInTime === true) parts.push('及时改正');
  if (when.correctedInTime === false) parts.push('未及时改正');
  if (when.harmAtMost !== undefined && when.harmAtMost !== HARM_LEVELS.at(-1))
    parts.push(
      when.harmAtMost === 'none' ? HARM_NAMES.none : `${HARM_NAMES[when.harmAtMost]}或者没有危害后果`,
    );
  return parts.length > 0 ? parts.join('，') : '其他情形';
}

export function publishedMatters(catalogue: Catalogue): PublishedMatter[] {
  return catalogue.violationTypes.map((type) => ({
    code: type.code,
    name: type.name,
    shortName: type.shortName,
    violatedProvision: formatCitation(type.violatedProvision),
    penaltyProvision: formatCitation(type.penaltyProvision),
    fineRanges: PARTY_KINDS.filter((kind) => type.fineRangeFen[kind]).map((kind) => ({
      partyKind: kind,
      partyKindName: PARTY_KIND_NAMES[kind],
      range: range(type.fineRangeFen[kind]!.minFen, type.fineRangeFen[kind]!.maxFen),
    })),
    correctionOrder: type.correctionOrder,
    collectiveDiscussion: type.collectiveDiscussion?.reason ?? null,
  }));
}

export function publishedBenchmark(catalogue: Catalogue): PublishedBenchmark[] {
  return catalogue.violationTypes.flatMap((type) =>
    PARTY_KINDS.filter((kind) => type.fineRangeFen[kind]).map((kind) => ({
      code: type.code,
      shortName: type.shortName,
      partyKind: kind,
      partyKindName: PARTY_KIND_NAMES[kind],
      statutoryRange: range(type.fineRangeFen[kind]!.minFen, type.fineRangeFen[kind]!.maxFen),
      tiers: type.tiers.map((tier) => {
        const band = tier.penalty.kind === 'fine' ? tier.penalty[kind] : undefined;
        return {
          id: tier.id,
          label: tier.label,
          conditions: describeConditions(tier.when),
          penalty: band
            ? `罚款${range(band.minFen, band.maxFen)}，一般为${formatYuan(band.standardFen)}；有《中华人民共和国行政处罚法》第三十二条从轻情形的按最低额，有从重情节的按最高额`
            : '不予处罚',
          reason: tier.reason,
        };
      }),
    })),
  );
}

/** The statutory exemptions first (the catalogue cannot override them), then each type's no-penalty tiers. */
export function publishedNoPenaltyList(catalogue: Catalogue): PublishedNoPenalty[] {
  const statutory: PublishedNoPenalty[] = [
    {
      code: '*',
      shortName: '所有事项',
      situation: '当事人有证据足以证明没有主观过错',
      conditions: '有证据足以证明没有主观过错',
      basis: '《中华人民共和国行政处罚法》第三十三条第二款',
    },
    {
      code: '*',
      shortName: '所有事项',
      situation: '违法行为轻微并及时改正，没有造成危害后果',
      conditions: '违法行为轻微，及时改正，没有造成危害后果',
      basis:
        '《中华人民共和国行政处罚法》第三十三条第一款；《上海市浦东新区城市管理领域非现场执法规定》第十五条',
    },
  ];
  const byCatalogue = catalogue.violationTypes.flatMap((type) =>
    type.tiers
      .filter((tier) => tier.penalty.kind === 'none')
      .map((tier) => ({
        code: type.code,
        shortName: type.shortName,
        situation: tier.label,
        conditions: describeConditions(tier.when),
        basis: tier.reason,
      })),
  );
  return [...statutory, ...byCatalogue];
}

/** What each published list shows, as a page and as JSON: the catalogue version and the list. */
export type PublishedMattersList = PublishedVersion & { matters: PublishedMatter[] };
export type PublishedBenchmarkList = PublishedVersion & { benchmark: PublishedBenchmark[] };
export type PublishedNoPenaltyListing = PublishedVersion & { noPenalty: PublishedNoPenalty[] };

export function mattersList(catalogue: Catalogue): PublishedMattersList {
  return { ...publishedVersion(catalogue), matters: publishedMatters(catalogue) };
}

export function benchmarkList(catalogue: Catalogue): PublishedBenchmarkList {
  return { ...publishedVersion(catalogue), benchmark: publishedBenchmark(catalogue) };
}

export function noPenaltyListing(catalogue: Catalogue): PublishedNoPenaltyListing {
  return { ...publishedVersion(catalogue), noPenalty: publishedNoPenaltyList(catalogue) };
}
