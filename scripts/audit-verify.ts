import { verifyAuditChain } from '../src/audit/audit.repo.js';
import { loadConfigOrExit } from '../src/config/config.js';
import { createPool } from '../src/db/pool.js';

// Exit status 0 when the chain holds, 1 with the first broken row otherwise (usable from cron or monitoring).
const config = loadConfigOrExit();
const pool = createPool(config.databaseUrl, 1);
try {
  const result = await verifyAuditChain(pool);
  if (result.ok) {
    console.log(`audit chain verified: ${result.rowsChecked} rows`);
  } else {
    console.log(
      `audit chain BROKEN at row ${result.firstBrokenId}: ${result.reason} (${result.rowsChecked} rows read)`,
    );
    process.exitCode = 1;
  }
} finally {
  await pool.end();
}
