import type { LocalDate } from '../law/local-date.js';

/**
 * What every statistics query is asked: the district in effect (null: every district, for admins only; it comes
 * from `districtScope` or a district the principal may see, never straight from the request), the period as
 * Beijing dates and as the instants they bound, and the optional camera, rule and violation type.
 */
export interface StatsQuery {
  districtId: string | null;
  from: LocalDate;
  to: LocalDate;
  /** Beijing midnight starting `from` */
  start: Date;
  /** Beijing midnight after `to` (excluded) */
  end: Date;
  cameraId: string | null;
  rule: string | null;
  violationType: string | null;
}

/** How a table of figures is broken down. */
export const STATS_DIMENSIONS = ['district', 'street', 'camera', 'rule', 'type'] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

export function isStatsDimension(value: string): value is StatsDimension {
  return (STATS_DIMENSIONS as readonly string[]).includes(value);
}

/** A row of a breakdown: its key (a district id, a street, a camera id, a rule or a type) and its label. */
export interface Keyed {
  key: string;
  label: string;
}
