import { createHash } from 'node:crypto';

/**
 * The random draw of case-file review ("双随机": random cases, and a random reviewer for each from those
 * eligible). The draw is a function of its seed: every case of the population is ranked by SHA-256 of
 * `seed|case|id`, the first `size` are the sample; for each, the eligible reviewers (all of the draw's reviewers
 * but those who worked on the case) are ranked by SHA-256 of `seed|reviewer|caseId|reviewerId` and the first is
 * drawn. Kept with its seed, population and reviewers, a draw can be checked by anyone by drawing again.
 */

export interface PopulationCase {
  caseId: string;
  /** staff who worked on the case (filed, reviewed, decided, proposed a withdrawal): never its reviewer */
  excluded: string[];
}

export interface DrawInput {
  seed: string;
  population: readonly PopulationCase[];
  reviewers: readonly string[];
  size: number;
}

export interface DrawnCase {
  caseId: string;
  reviewerId: string;
}

export class DrawError extends Error {
  override name = 'DrawError';
}

const rank = (seed: string, ...parts: string[]): string =>
  createHash('sha256')
    .update([seed, ...parts].join('|'))
    .digest('hex');

export function drawSample(input: DrawInput): DrawnCase[] {
  if (!/^[0-9a-f]{32}$/.test(input.seed)) throw new DrawError('the seed is 32 hexadecimal digits');
  if (!Number.isInteger(input.size) || input.size < 1) throw new DrawError('the sample size is at least 1');
  const reviewers = [...new Set(input.reviewers)];
  const ranked = [...input.population]
    .map((c) => ({ c, r: rank(input.seed, 'case', c.caseId) }))
    .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0));
  const out: DrawnCase[] = [];
  for (const { c } of ranked) {
    if (out.length >= input.size) break;
    const eligible = reviewers.filter((r) => !c.excluded.includes(r));
    // A case no eligible reviewer can take is passed over; the next in rank takes its place.
    if (eligible.length === 0) continue;
    const reviewerId = eligible
      .map((id) => ({ id, r: rank(input.seed, 'reviewer', c.caseId, id) }))
      .sort((a, b) => (a.r < b.r ? -1 : a.r > b.r ? 1 : 0))[0]!.id;
    out.push({ caseId: c.caseId, reviewerId });
  }
  return out;
}

/** Draws again from what was recorded and says whether the stored sample is the one the seed gives. */
export function verifyDraw(input: DrawInput, stored: readonly DrawnCase[]): boolean {
  const again = drawSample(input);
  const key = (d: DrawnCase) => `${d.caseId}:${d.reviewerId}`;
  return again.map(key).sort().join(',') === stored.map(key).sort().join(',');
}
