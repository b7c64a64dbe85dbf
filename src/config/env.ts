/**
 * Reading raw environment variables for the configuration sections: each parser names the variable in its
 * error, and an unset or empty variable takes the section's default.
 */

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvReader {
  /** NODE_ENV as given (validated by the server section), and whether it is production. */
  readonly nodeEnv: string;
  readonly production: boolean;
  /** The value, or the fallback when unset or empty. */
  get(name: string, fallback: string): string;
  int(name: string, fallback: number): number;
  bool(name: string, fallback: boolean): boolean;
  /** A port, or null for `off`. */
  port(name: string, fallback: number | null): number | null;
  /** `a=b,c=d` pairs (spaces around them ignored). */
  pairs(name: string): Record<string, string>;
  /** A comma-separated list (spaces around items ignored, empty items dropped); undefined when unset. */
  list(name: string): string[] | undefined;
}

export function parseBool(name: string, raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw.trim())) return true;
  if (/^(0|false|no|off)$/i.test(raw.trim())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function parseInt10(name: string, raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  return Number.parseInt(raw, 10);
}

function parsePairs(name: string, raw: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.lastIndexOf('=');
    if (eq <= 0 || eq === part.length - 1)
      throw new ConfigError(`${name} must be value=target pairs, got "${part}"`);
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

export function envReader(env: Environment): EnvReader {
  const get = (name: string, fallback: string): string => {
    const v = env[name];
    return v === undefined || v === '' ? fallback : v;
  };
  const nodeEnv = get('NODE_ENV', 'development');
  return {
    nodeEnv,
    production: nodeEnv === 'production',
    get,
    int: (name, fallback) => parseInt10(name, get(name, String(fallback))),
    bool: (name, fallback) => parseBool(name, get(name, String(fallback))),
    port: (name, fallback) => {
      const raw = get(name, fallback === null ? 'off' : String(fallback));
      return /^off$/i.test(raw.trim()) ? null : parseInt10(name, raw);
    },
    pairs: (name) => parsePairs(name, get(name, '')),
    list: (name) => {
      const raw = env[name];
      if (raw === undefined || raw.trim() === '') return undefined;
      return raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    },
  };
}
