import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfigOrExit } from '../src/config/config.js';
import { ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { seedDemo, type DemoLogin } from '../src/demo/demo-seed.js';
import { accessPolicyFromEnv } from '../src/config/camera-access.js';
import { MIGRATIONS_DIR, REPO_ROOT } from '../src/shared/paths.js';
import { ensureAssets } from './assets.js';

/** The environment of the demo's processes: its own data folder, and its videos allowed as camera files. */
export function demoEnv(base: NodeJS.ProcessEnv, demoDir: string): NodeJS.ProcessEnv {
  return {
    ...base,
    DATA_DIR: base.DATA_DIR ?? path.join(demoDir, 'data'),
    CAMERA_LOCAL_FILE_ROOTS: [base.CAMERA_LOCAL_FILE_ROOTS, path.join(REPO_ROOT, 'fixtures/video'), demoDir]
      .filter(Boolean)
      .join(','),
    LOG_LEVEL: base.LOG_LEVEL ?? 'info',
    DEMO_OUTBOX_DIR: base.DEMO_OUTBOX_DIR ?? path.join(demoDir, 'outbox'),
  };
}

/** Assets, migrations and the demo district, without starting anything (used by `npm run demo` and compose). */
export async function prepareDemo(
  env: NodeJS.ProcessEnv,
  demoDir: string,
  password: string,
): Promise<DemoLogin[]> {
  const config = loadConfigOrExit(env);
  console.log('• assets (hash-checked)');
  await ensureAssets({ log: (l) => console.log(`  ${l}`) });
  console.log('• database');
  await ensureDatabase(config.databaseUrl, (url) => createPool(url, 1));
  const pool = createPool(config.databaseUrl, 4);
  try {
    await runMigrations(pool, MIGRATIONS_DIR);
    console.log('• seeding the demo district (浦东新区), staff, parties and cameras');
    return (await seedDemo(pool, accessPolicyFromEnv(env), demoDir, password)).logins;
  } finally {
    await pool.end();
  }
}

export function printLogins(base: string, logins: DemoLogin[]): void {
  console.log(`Staff sign-in: ${base}/login`);
  for (const l of logins) console.log(`  ${l.role.padEnd(18)} ${l.username.padEnd(14)} ${l.password}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const password = process.env.DEMO_PASSWORD;
  if (!password) {
    console.error('set DEMO_PASSWORD to the password the demo staff accounts should get');
    process.exit(2);
  }
  const demoDir = process.env.DEMO_DIR ?? path.resolve(REPO_ROOT, 'var/demo');
  const logins = await prepareDemo(demoEnv(process.env, demoDir), demoDir, password);
  printLogins(loadConfigOrExit().publicBaseUrl, logins);
}
