import type { WorkingCalendar } from './calendar.js';
import { catalogueInForce, type Catalogue } from './catalogue.js';
import { loadAllCatalogues, loadWorkingCalendar } from './law-config.adapter.js';
import { shanghaiDateOf } from './local-date.js';

/**
 * The catalogue versions and the working-day calendar, read once per process. The current catalogue is the
 * newest in force on the day; old cases are re-read with the version recorded on them.
 */
let cataloguesLoading: Promise<Map<string, Catalogue>> | null = null;
let calendarLoading: Promise<WorkingCalendar> | null = null;

export function catalogues(): Promise<Map<string, Catalogue>> {
  cataloguesLoading ??= loadAllCatalogues();
  return cataloguesLoading;
}

export async function currentCatalogue(today: string = shanghaiDateOf(new Date())): Promise<Catalogue> {
  return catalogueInForce((await catalogues()).values(), today);
}

export function workingCalendar(): Promise<WorkingCalendar> {
  calendarLoading ??= loadWorkingCalendar();
  return calendarLoading;
}
