import { loadConfigOrExit } from '../src/config/config.js';
import { ensureDatabase, runMigrations } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { MIGRATIONS_DIR } from '../src/shared/paths.js';

const config = loadConfigOrExit();
await ensureDatabase(config.databaseUrl, (url) => createPool(url, 1));
const pool = createPool(config.databaseUrl, 2);
try {
  const { applied } = await runMigrations(pool, MIGRATIONS_DIR);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await pool.end();
}
