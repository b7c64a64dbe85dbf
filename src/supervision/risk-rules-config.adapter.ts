import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../shared/paths.js';
import { parseRiskRules, RiskRulesError, type RiskRules } from './risk-rules.js';

/** Reads every version of the shop risk rules (config/shop-risk/<version>.json) once per process. */

export const RISK_RULES_DIR = path.join(REPO_ROOT, 'config', 'shop-risk');

export async function loadAllRiskRules(dir: string = RISK_RULES_DIR): Promise<RiskRules[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  if (names.length === 0) throw new RiskRulesError(`no shop risk rule files (*.json) in ${dir}`);
  const all: RiskRules[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
      throw new RiskRulesError(`shop risk rules ${file}: ${(error as Error).message}`);
    }
    const rules = parseRiskRules(raw);
    // the file name is how a version recorded on a change is found again
    if (name !== `${rules.version}.json`)
      throw new RiskRulesError(
        `shop risk rules ${file} hold version ${rules.version}; name it ${rules.version}.json`,
      );
    all.push(rules);
  }
  return all;
}

let loading: Promise<RiskRules[]> | null = null;

export function riskRuleVersions(): Promise<RiskRules[]> {
  loading ??= loadAllRiskRules().catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}
