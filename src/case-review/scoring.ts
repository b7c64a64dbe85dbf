/**
 * The scoring sheet of case-file review: five items with their points, 100 in all. The items follow what a
 * case file must show for a penalty to stand (APL art. 40: facts clear; art. 46: evidence verified; art. 44-45,
 * 58, 62-65: procedure; art. 34, 59: law and benchmark applied; art. 59, 61: documents made and served).
 */

export const SCORING_ITEMS = [
  { key: 'facts', max: 25 },
  { key: 'evidence', max: 25 },
  { key: 'procedure', max: 20 },
  { key: 'law', max: 20 },
  { key: 'documents', max: 10 },
] as const;

export type ScoringItem = (typeof SCORING_ITEMS)[number]['key'];
export type Scores = Record<ScoringItem, number>;
export type Grade = 'excellent' | 'pass' | 'fail';

export const MAX_TOTAL = SCORING_ITEMS.reduce((sum, item) => sum + item.max, 0);

export class ScoringError extends Error {
  override name = 'ScoringError';
}

/** Checks every item is a whole number between 0 and its points and returns the sheet's total. */
export function scoreSheet(scores: Partial<Record<string, number>>): { scores: Scores; total: number } {
  const unknown = Object.keys(scores).filter((k) => !SCORING_ITEMS.some((i) => i.key === k));
  if (unknown.length > 0) throw new ScoringError(`unknown scoring items: ${unknown.join(', ')}`);
  const out = {} as Scores;
  let total = 0;
  for (const { key, max } of SCORING_ITEMS) {
    const value = scores[key];
    if (value === undefined || !Number.isInteger(value) || value < 0 || value > max)
      throw new ScoringError(`${key}: a whole number from 0 to ${max}`);
    out[key] = value;
    total += value;
  }
  return { scores: out, total };
}

/** 优秀 from 90, 合格 from 75, otherwise 不合格. */
export function gradeOf(total: number): Grade {
  if (total >= 90) return 'excellent';
  if (total >= 75) return 'pass';
  return 'fail';
}

export interface ScoredSheet {
  districtId: string;
  reviewerId: string;
  total: number;
}

export interface ScoreSummary {
  key: string;
  sheets: number;
  average: number;
  lowest: number;
  failed: number;
}

/** Results per unit (district) or per reviewer: sheets scored, the average (one decimal), lowest and failed. */
export function summarise(sheets: readonly ScoredSheet[], by: 'districtId' | 'reviewerId'): ScoreSummary[] {
  const groups = new Map<string, number[]>();
  for (const s of sheets) groups.set(s[by], [...(groups.get(s[by]) ?? []), s.total]);
  return [...groups]
    .map(([key, totals]) => ({
      key,
      sheets: totals.length,
      average: Math.round((totals.reduce((a, b) => a + b, 0) / totals.length) * 10) / 10,
      lowest: Math.min(...totals),
      failed: totals.filter((t) => gradeOf(t) === 'fail').length,
    }))
    .sort((a, b) => a.key.localeCompare(b.key));
}
