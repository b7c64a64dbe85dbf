import { parseArgs } from 'node:util';
import { appendAudit } from '../src/audit/audit.repo.js';
import { checkPasswordPolicy, hashPassword } from '../src/auth/password.js';
import { insertStaffUser } from '../src/auth/staff-user.repo.js';
import { loadConfigOrExit } from '../src/config/config.js';
import { createPool, withTransaction } from '../src/db/pool.js';

// Creates the first admin (or another one). The password comes from ADMIN_PASSWORD or --password so that it does
// not have to appear in shell history when set through the environment.
const { values } = parseArgs({
  options: {
    username: { type: 'string', default: 'admin' },
    name: { type: 'string', default: 'Administrator' },
    password: { type: 'string' },
  },
});
const password = values.password ?? process.env.ADMIN_PASSWORD ?? '';
const problem = checkPasswordPolicy(password);
if (problem) {
  console.error(`${problem} (pass --password or set ADMIN_PASSWORD)`);
  process.exit(2);
}
const config = loadConfigOrExit();
const pool = createPool(config.databaseUrl, 1);
try {
  const id = await withTransaction(pool, async (tx) => {
    const userId = await insertStaffUser(tx, {
      username: values.username!,
      displayName: values.name!,
      passwordHash: await hashPassword(password),
      role: 'admin',
      districtId: null,
    });
    await appendAudit(tx, {
      actorKind: 'system',
      action: 'staff.create_admin',
      subjectKind: 'staff_user',
      subjectId: userId,
      data: { username: values.username },
    });
    return userId;
  });
  console.log(`admin "${values.username}" created (${id})`);
} catch (err) {
  const e = err as { code?: string; message: string };
  console.error(e.code === '23505' ? `user "${values.username}" already exists` : e.message);
  process.exitCode = 1;
} finally {
  await pool.end();
}
