import { Type, type Static, type TInteger } from '@sinclair/typebox';
import { ConfigError, envReader, type Environment, type EnvReader } from './env.js';

const whole = (variable: string, minimum: number, maximum: number, what: string): TInteger =>
  Type.Integer({ minimum, maximum, description: `${variable}: ${what}` });

/** The rules worker: frame retention, how long a frame in detection may hold its camera up, the sweeps. */
export const RulesWorkerSchema = Type.Object({
  frameRetentionMinutes: whole(
    'FRAME_RETENTION_MINUTES',
    1,
    7 * 24 * 60,
    'frames that are not evidence are deleted after this long',
  ),
  retentionEverySeconds: whole('FRAME_RETENTION_EVERY_SECONDS', 10, 86_400, 'how often retention runs'),
  gapTimeoutSeconds: whole(
    'RULES_GAP_TIMEOUT_SECONDS',
    1,
    3_600,
    "how long a frame still in detection may hold up its camera's later frames",
  ),
  recheckMarginSeconds: whole(
    'RECHECK_MARGIN_SECONDS',
    0,
    86_400,
    'added to the grace period before the warn-first re-check job looks',
  ),
  evidenceSweepSeconds: whole(
    'EVIDENCE_SWEEP_SECONDS',
    5,
    86_400,
    'candidates unmoved for this long get their evidence job again',
  ),
  rulesConcurrency: whole('RULES_CONCURRENCY', 1, 64, 'rules jobs handled at once by this process'),
  evidenceConcurrency: whole('EVIDENCE_CONCURRENCY', 1, 16, 'evidence jobs handled at once by this process'),
});

export type RulesWorkerSettings = Static<typeof RulesWorkerSchema>;

const DEFAULTS: RulesWorkerSettings = {
  frameRetentionMinutes: 60,
  retentionEverySeconds: 300,
  gapTimeoutSeconds: 90,
  recheckMarginSeconds: 300,
  evidenceSweepSeconds: 120,
  rulesConcurrency: 4,
  evidenceConcurrency: 2,
};

export function readRulesWorker(env: EnvReader): RulesWorkerSettings {
  const settings = { ...DEFAULTS };
  for (const key of Object.keys(DEFAULTS) as (keyof RulesWorkerSettings)[]) {
    const { description, minimum, maximum } = RulesWorkerSchema.properties[key];
    const variable = description!.split(':')[0]!;
    const raw = env.get(variable, '');
    if (raw.trim() === '') continue;
    if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${variable} must be a whole number, got "${raw}"`);
    const value = Number.parseInt(raw, 10);
    if (value < minimum! || value > maximum!) {
      throw new ConfigError(`${variable} must be between ${minimum} and ${maximum}, got ${value}`);
    }
    settings[key] = value;
  }
  return settings;
}

/** The rules worker's settings alone, from the given variables (tests and tools that run the stage in process). */
export function rulesWorkerSettings(env: Environment): RulesWorkerSettings {
  return readRulesWorker(envReader(env));
}
