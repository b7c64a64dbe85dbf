/*
 * Settings of the rules worker process, read once from the environment. A bad value stops start-up with a message
 * naming the variable.
 */

export interface RulesWorkerSettings {
  /** FRAME_RETENTION_MINUTES: frames that are not evidence are deleted after this long. */
  frameRetentionMinutes: number;
  /** FRAME_RETENTION_EVERY_SECONDS: how often retention runs. */
  retentionEverySeconds: number;
  /** RULES_GAP_TIMEOUT_SECONDS: how long a frame still in detection may hold up its camera's later frames. */
  gapTimeoutSeconds: number;
  /** RECHECK_MARGIN_SECONDS: added to the grace period before the warn-first re-check job looks. */
  recheckMarginSeconds: number;
  /** EVIDENCE_SWEEP_SECONDS: candidates unmoved for this long get their evidence job again. */
  evidenceSweepSeconds: number;
  /** RULES_CONCURRENCY and EVIDENCE_CONCURRENCY: jobs handled at once by this process. */
  rulesConcurrency: number;
  evidenceConcurrency: number;
}

export class RulesWorkerSettingsError extends Error {
  override name = 'RulesWorkerSettingsError';
}

const FIELDS: {
  key: keyof RulesWorkerSettings;
  variable: string;
  fallback: number;
  min: number;
  max: number;
}[] = [
  {
    key: 'frameRetentionMinutes',
    variable: 'FRAME_RETENTION_MINUTES',
    fallback: 60,
    min: 1,
    max: 7 * 24 * 60,
  },
  {
    key: 'retentionEverySeconds',
    variable: 'FRAME_RETENTION_EVERY_SECONDS',
    fallback: 300,
    min: 10,
    max: 86_400,
  },
  { key: 'gapTimeoutSeconds', variable: 'RULES_GAP_TIMEOUT_SECONDS', fallback: 90, min: 1, max: 3_600 },
  { key: 'recheckMarginSeconds', variable: 'RECHECK_MARGIN_SECONDS', fallback: 300, min: 0, max: 86_400 },
  { key: 'evidenceSweepSeconds', variable: 'EVIDENCE_SWEEP_SECONDS', fallback: 120, min: 5, max: 86_400 },
  { key: 'rulesConcurrency', variable: 'RULES_CONCURRENCY', fallback: 4, min: 1, max: 64 },
  { key: 'evidenceConcurrency', variable: 'EVIDENCE_CONCURRENCY', fallback: 2, min: 1, max: 16 },
];

export function rulesWorkerSettings(env: NodeJS.ProcessEnv = process.env): RulesWorkerSettings {
  const settings = {} as RulesWorkerSettings;
  for (const field of FIELDS) {
    const raw = env[field.variable];
    if (raw === undefined || raw.trim() === '') {
      settings[field.key] = field.fallback;
      continue;
    }
    if (!/^\d+$/.test(raw.trim())) {
      throw new RulesWorkerSettingsError(`${field.variable} must be a whole number, got "${raw}"`);
    }
    const value = Number.parseInt(raw, 10);
    if (value < field.min || value > field.max) {
      throw new RulesWorkerSettingsError(
        `${field.variable} must be between ${field.min} and ${field.max}, got ${value}`,
      );
    }
    settings[field.key] = value;
  }
  return settings;
}
