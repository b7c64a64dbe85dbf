import { benchApp } from './bench-app.js';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { reviewCopies } from '../../src/cases/evidence-thumbnail.adapter.js';
import { hashPassword } from '../../src/auth/password.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { FsBlobStore } from '../../src/storage/fs-blob-store.adapter.js';
import { benchDatabase, fmt } from './bench-db.js';

/**
 * The review workbench as a reviewer feels it, in Chromium: (a) from pressing N on the queue page to the task page
 * rendered with every evidence image decoded, and (b) from pressing A (approve) to the next task's page rendered
 * the same way. The evidence is real frames (a 1920x1080 camera frame and two 768-wide ones) stored like
 * evidence, so the page shows the stored copies of the workbench. The baseline, in the same run and browser, is
 * the navigation to an empty page of the same server. Prints medians, p95 and the ratio to the baseline.
 *
 *   npm run bench:workbench -- --tasks 60
 */
const { values } = parseArgs({ options: { tasks: { type: 'string', default: '60' } } });
const TASKS = Number(values.tasks);
const SAMPLES = Math.floor(TASKS / 2) - 1;

function summary(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p95: s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)]!,
  };
}

const db = await benchDatabase('enf_bench_workbench');
const pool = db.pool;
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-workbench-'));
const blobs = new FsBlobStore(dataDir);
await pool.query(`insert into districts (id, name, case_prefix) values ('pudong', '浦东新区', 'PD')`);
await pool.query(
  `insert into staff_users (username, display_name, password_hash, role, district_id)
   values ('bench_ev', '证据审核员', $1, 'evidence_reviewer', 'pudong')`,
  [await hashPassword('bench password 123')],
);
const cameraId = (
  await pool.query<{ id: string }>(
    `insert into cameras (district_id, name, source) values ('pudong', '世纪大道东', '{"kind":"snapshot","url":"http://10.0.0.1/s.jpg"}') returning id`,
  )
).rows[0]!.id;

// Real frames as evidence: each task's items are stored under their own key with their real hash.
const frames = await Promise.all(
  ['far-person-composed.jpg', 'car-detection-f101.jpg', 'vtest-f200.jpg'].map((f) =>
    readFile(path.join(REPO_ROOT, 'fixtures', 'frames', f)),
  ),
);
for (let i = 0; i < TASKS; i++) {
  const violation = (
    await pool.query<{ id: string; confirmed_at: Date }>(
      `insert into violations (district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at,
                               confirmed_at, dedupe_key, model_name, model_sha256)
       values ('pudong', $1, 1, 'stall', 'street_stall', 'pending_review', now() - interval '20 minutes',
               now() - interval '10 minutes' + ($2 || ' seconds')::interval, 'bench-wb-' || $2, 'yolox-nano', 'x')
       returning id, confirmed_at`,
      [cameraId, i],
    )
  ).rows[0]!;
  for (const [n, bytes] of frames.entries()) {
    const key = `evidence/${violation.id}/${n}.jpg`;
    await blobs.put(key, bytes);
    await pool.query(
      `insert into evidence_items (violation_id, kind, storage_key, sha256, content_type, byte_size, captured_at, label)
       values ($1, $2, $3, $4, 'image/jpeg', $5, $6, $2)`,
      [
        violation.id,
        n === 2 ? 'annotated' : 'original',
        key,
        createHash('sha256').update(bytes).digest('hex'),
        bytes.length,
        violation.confirmed_at,
      ],
    );
  }
  await pool.query(
    `insert into review_tasks (violation_id, district_id, stage, violation_type, camera_id, created_at)
     values ($1, 'pudong', 'evidence', 'street_stall', $2, $3)`,
    [violation.id, cameraId, violation.confirmed_at],
  );
}
// the evidence stage makes the workbench's copies when it packages the evidence; do the same here
const copies = reviewCopies(blobs);
const stored = await pool.query<{ storage_key: string; sha256: string }>(
  `select storage_key, sha256 from evidence_items`,
);
for (const item of stored.rows) await copies.make(item);
await pool.query('analyze');

const { app, close } = await benchApp({ pool, databaseUrl: db.url, dataDir, prefix: 'benchwb', blobs });
// The baseline: an empty page from the same server, through the same browser.
app.get('/bench/empty', async (_request, reply) =>
  reply.type('text/html; charset=utf-8').send('<!doctype html><html lang="zh-CN"><title>空</title></html>'),
);
await app.listen({ host: '127.0.0.1', port: 0 });
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
await page.goto(`${base}/login`);
await page.fill('#username', 'bench_ev');
await page.fill('#password', 'bench password 123');
await Promise.all([
  page.waitForURL((u) => !u.pathname.startsWith('/login')),
  page.click('button[type=submit]'),
]);

/** The task page is rendered: loaded, and every evidence image decoded with its pixels. */
async function rendered(p: Page, notTask: string | null): Promise<string> {
  await p.waitForURL((u) => u.pathname.startsWith('/review/tasks/') && !u.pathname.endsWith(notTask ?? '\0'));
  // evaluated in the page (a string: this script is compiled without the DOM's types)
  await p.waitForFunction(`document.readyState === 'complete' &&
    document.querySelectorAll('img.zoomable').length > 0 &&
    [...document.querySelectorAll('img.zoomable')].every((i) => i.complete && i.naturalWidth > 0)`);
  return new URL(p.url()).pathname;
}

const baseline: number[] = [];
const claim: number[] = [];
const approve: number[] = [];
// one task of each kind first, unmeasured: the browser's and the server's first-use costs
for (let i = 0; i <= SAMPLES; i++) {
  const t0 = performance.now();
  await page.goto(`${base}/bench/empty`, { waitUntil: 'load' });
  const t1 = performance.now();
  await page.goto(`${base}/review`, { waitUntil: 'load' });
  const t2 = performance.now();
  await page.keyboard.press('n');
  const task = await rendered(page, null);
  const t3 = performance.now();
  await page.keyboard.press('a');
  await rendered(page, task);
  const t4 = performance.now();
  if (i === 0) continue;
  baseline.push(t1 - t0);
  claim.push(t3 - t2);
  approve.push(t4 - t3);
}
const approved = (
  await pool.query<{ n: number }>(`select count(*)::int as n from review_tasks where stage = 'legal'`)
).rows[0]!.n;

const b = summary(baseline);
const c = summary(claim);
const a = summary(approve);
const line = (name: string, s: { median: number; p95: number }) =>
  `${name.padEnd(44)} median ${fmt(s.median).padStart(6)} ms   p95 ${fmt(s.p95).padStart(6)} ms   (p95 ${fmt(s.p95 / b.p95, 2)}x baseline)`;
console.log(
  `workbench in Chromium, ${SAMPLES} samples each, 3 real evidence images per task (${approved} approved)`,
);
console.log(line('empty page (baseline)', b));
console.log(line('N on the queue → task page rendered', c));
console.log(line('A (approve) → next task page rendered', a));

await browser.close();
await close();
await db.drop();
await rm(dataDir, { recursive: true, force: true });
