import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadConfigOrExit } from '../src/config/config.js';
import { createPool } from '../src/db/pool.js';
import { ChildSupervisor } from '../src/shared/child-supervisor.js';
import { REPO_ROOT } from '../src/shared/paths.js';
import { startDemoInbox } from '../src/demo/demo-inbox.js';
import { demoEnv, prepareDemo, printLogins } from './demo-seed.js';

/**
 * The main job: migrate, fetch the assets, seed a demo district with staff, parties and two cameras replaying
 * real video, start the API and every worker, and print where to look. Ctrl-C stops everything cleanly.
 */
const demoDir = path.resolve(REPO_ROOT, 'var/demo');
// Notices go out by SMS through the demo inbox, which prints the citizen's link instead of texting a phone.
const inboxSecret = randomBytes(24).toString('hex');
const inbox = await startDemoInbox(inboxSecret, path.join(demoDir, 'inbox.log'), (m) => {
  const link = /https?:\/\/\S+/.exec(m.text)?.[0];
  console.log(
    `✉ notice sent by SMS to ${m.to.replace(/\d(?=\d{4})/g, '•')}${link ? `: citizen link ${link}` : ''}`,
  );
  console.log(`  (second factor: the last 4 digits of that phone number; text in var/demo/inbox.log)`);
});
const env = demoEnv(
  {
    SMS_GATEWAY_URL: inbox.url,
    SMS_GATEWAY_ACCOUNT: 'demo',
    SMS_GATEWAY_SECRET: inboxSecret,
    CASE_SWEEP_INTERVAL_S: '10',
    ...process.env,
  },
  demoDir,
);
const config = loadConfigOrExit(env);
const base = config.publicBaseUrl;

const password = process.env.DEMO_PASSWORD ?? `demo-${randomBytes(6).toString('hex')}`;
const logins = await prepareDemo(env, demoDir, password);
const pool = createPool(config.databaseUrl, 2);

const processes: { name: string; entry: string }[] = [
  { name: 'api', entry: 'src/server.ts' },
  { name: 'ingest', entry: 'workers/ingest.worker.ts' },
  { name: 'detect', entry: 'workers/detect.worker.ts' },
  { name: 'rules', entry: 'workers/rules.worker.ts' },
  { name: 'notify', entry: 'workers/notify.worker.ts' },
];
await mkdir(path.join(demoDir, 'logs'), { recursive: true });
const supervisor = new ChildSupervisor({
  say: (line) => console.log(`${line}; see var/demo/logs/`),
});
for (const p of processes) {
  if (!existsSync(path.join(REPO_ROOT, p.entry))) {
    console.log(`  (skipping ${p.name}: ${p.entry} is not in this checkout)`);
    continue;
  }
  supervisor.start({
    name: p.name,
    command: process.execPath,
    args: ['--import', 'tsx', p.entry],
    cwd: REPO_ROOT,
    env,
    log: () => createWriteStream(path.join(demoDir, 'logs', `${p.name}.log`), { flags: 'a' }),
  });
}

console.log('\nStarted. Logs: var/demo/logs/.');
printLogins(base, logins);
console.log(`  Cameras and zones:     ${base}/staff/cameras
  Review workbench:      ${base}/review
  Public device list:    ${base}/devices
  Command screen:        ${base}/screen  (demo_leader reads it; statistics at ${base}/staff/stats)
  Field tasks (patrol):  ${base}/staff/field-tasks
  API description:       ${base}/docs
Waiting for the first review task (the bottle is left on the path at 0:08; dwell 20 s)…`);

let stopping = false;
let shownTask = false;
let apiReady = false;
const timer = setInterval(async () => {
  try {
    if (!apiReady) {
      apiReady = await fetch(`http://127.0.0.1:${config.httpPort}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (apiReady) console.log(`✔ API ready at ${base}`);
      return;
    }
    if (!shownTask) {
      const t = await pool.query(`select id, created_at from review_tasks order by created_at limit 1`);
      if (t.rowCount) {
        shownTask = true;
        console.log(
          `✔ review task in the queue: ${base}/review (sign in as demo_evidence, then demo_legal; demo_head decides cases)`,
        );
      }
    }
  } catch {
    // the database is briefly unavailable: the next tick tries again
  }
}, 2_000);

async function stop(): Promise<void> {
  if (stopping) process.exit(130);
  stopping = true;
  clearInterval(timer);
  console.log('\nstopping…');
  await supervisor.stop();
  await pool.end();
  await inbox.close();
  console.log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
