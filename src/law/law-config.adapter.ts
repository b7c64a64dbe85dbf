import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../shared/paths.js';
import { createWorkingCalendar, parseCalendarConfig, type WorkingCalendar } from './calendar.js';
import { CatalogueError, parseCatalogue, type Catalogue } from './catalogue.js';

/** Reads the case configuration files once at start-up; everything after this works on the parsed values. */

export const CATALOGUE_DIR = path.join(REPO_ROOT, 'config', 'catalogue');
export const CALENDAR_FILE = path.join(REPO_ROOT, 'config', 'calendar', 'cn-mainland-holidays.json');

async function readJson(filePath: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} file ${filePath}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${what} file ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
}

export async function loadCatalogueFile(filePath: string): Promise<Catalogue> {
  const catalogue = parseCatalogue(await readJson(filePath, 'catalogue'));
  const expectedName = `${catalogue.version}.json`;
  // The file name is how a version is found again for old cases, so it must not drift from the content.
  if (path.basename(filePath) !== expectedName) {
    throw new CatalogueError(
      `catalogue file ${filePath} holds version ${catalogue.version}; name it ${expectedName}`,
    );
  }
  return catalogue;
}

/** Every version in the folder: cases decided under an older version are re-read with that version. */
export async function loadAllCatalogues(dir: string = CATALOGUE_DIR): Promise<Map<string, Catalogue>> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new CatalogueError(`no catalogue files (*.json) in ${dir}`);
  const byVersion = new Map<string, Catalogue>();
  for (const name of names) {
    const catalogue = await loadCatalogueFile(path.join(dir, name));
    byVersion.set(catalogue.version, catalogue);
  }
  return byVersion;
}

export async function loadWorkingCalendar(filePath: string = CALENDAR_FILE): Promise<WorkingCalendar> {
  return createWorkingCalendar(parseCalendarConfig(await readJson(filePath, 'calendar')));
}
