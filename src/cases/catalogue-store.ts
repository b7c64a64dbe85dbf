import type { Catalogue, ViolationType } from './catalogue.js';
import type { WorkingCalendar } from './calendar.js';
import { loadAllCatalogues, loadWorkingCalendar } from './cases-config.adapter.js';

/**
 * The catalogue versions, read once per process. The current version is the newest whose effective date has
 * come; old cases are re-read with the version recorded on them.
 */
let loading: Promise<Map<string, Catalogue>> | null = null;

export function catalogues(): Promise<Map<string, Catalogue>> {
  loading ??= loadAllCatalogues();
  return loading;
}

export async function currentCatalogue(today: string = new Date().toISOString().slice(0, 10)): Promise<Catalogue> {
  const all = [...(await catalogues()).values()]
    .filter((c) => c.effectiveFrom <= today)
    .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? 1 : -1));
  if (!all[0]) throw new Error(`no catalogue version is in effect on ${today}`);
  return all[0];
}

export function violationType(catalogue: Catalogue, code: string): ViolationType {
  const type = catalogue.violationTypes.find((t) => t.code === code);
  if (!type) throw new Error(`catalogue ${catalogue.version} has no violation type "${code}"`);
  return type;
}

let calendarLoading: Promise<WorkingCalendar> | null = null;

/** The working-day calendar (holidays and make-up days), read once per process. */
export function workingCalendar(): Promise<WorkingCalendar> {
  calendarLoading ??= loadWorkingCalendar();
  return calendarLoading;
}
