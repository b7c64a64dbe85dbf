import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../shared/paths.js';
import { parsePublicationRules, PublicationRulesError, type PublicationRules } from './credit-rules.js';

/** The publication rules' versions (config/credit/<version>.json), read once per process. */

export const CREDIT_RULES_DIR = path.join(REPO_ROOT, 'config', 'credit');

export async function loadPublicationRules(dir: string = CREDIT_RULES_DIR): Promise<PublicationRules[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  if (names.length === 0) throw new PublicationRulesError(`no credit rules files (*.json) in ${dir}`);
  const all: PublicationRules[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const rules = parsePublicationRules(JSON.parse(await readFile(file, 'utf8')) as unknown);
    if (name !== `${rules.version}.json`)
      throw new PublicationRulesError(`credit rules file ${file} holds version ${rules.version}`);
    all.push(rules);
  }
  return all;
}

let loading: Promise<PublicationRules[]> | null = null;

export function publicationRules(): Promise<PublicationRules[]> {
  loading ??= loadPublicationRules().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
