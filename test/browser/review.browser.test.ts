import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { seedCamera, seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let cameraId: string;
const tasks: string[] = [];

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedStaff(ctx.pool, 'ev_browser', 'evidence_reviewer', 'pudong');
  await seedStaff(ctx.pool, 'staff_browser', 'district_staff', 'pudong');
  cameraId = await seedCamera(ctx.pool, 'pudong', 'Century Avenue east');
  for (let i = 0; i < 2; i++) {
    const seeded = await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId });
    tasks.push(seeded.taskId);
    // link the first original to a frame with detections, as the evidence stage does
    const item = (
      await ctx.pool.query(
        `select id, storage_key, sha256, byte_size from evidence_items where violation_id = $1 and kind = 'original' limit 1`,
        [seeded.violationId],
      )
    ).rows[0];
    const frame = await ctx.pool.query(
      `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version, evidence) values ($1, $2, now(), $3, $4, 32, 24, $5, 1, true) returning id`,
      [cameraId, i + 1, item.sha256, item.storage_key, item.byte_size],
    );
    await ctx.pool.query(
      `insert into detections (frame_id, model_name, model_sha256, items) values ($1, 'yolox-nano', 'x', $2)`,
      [
        frame.rows[0].id,
        JSON.stringify([
          { label: 'umbrella', role: 'goods', score: 0.8, box: { x1: 0.1, y1: 0.1, x2: 0.4, y2: 0.5 } },
        ]),
      ],
    );
    await ctx.pool.query('update evidence_items set frame_id = $1 where id = $2', [
      frame.rows[0].id,
      item.id,
    ]);
  }
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx.close();
});

describe('review workbench in the browser', () => {
  it('a reviewer opens the next task, sees verified hashes, decides with the keyboard, and the next task opens', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'ev_browser', 'a long test password');
    expect(new URL(page.url()).pathname).toBe('/review');
    await Promise.all([page.waitForURL(/\/review\/tasks\//), page.keyboard.press('n')]);
    const first = page.url();
    const statuses = await page.locator('[data-hash-status]').allTextContents();
    expect(statuses.length).toBe(3);
    expect(statuses.every((s) => s === '哈希校验通过')).toBe(true);
    await screenshot(page, 'review-workbench');

    await Promise.all([
      page.waitForURL((u) => u.toString() !== first && u.pathname.startsWith('/review/tasks/')),
      page.keyboard.press('a'),
    ]);
    await page.keyboard.press('2'); // false detection
    await Promise.all([page.waitForURL(/\/review\?empty=1/), page.keyboard.press('r')]);
    expect(await page.isVisible('#queue-empty')).toBe(true);
    expect(errors).toEqual([]);

    const decisions = await ctx.pool.query(
      `select decision, reason_code from review_tasks where stage = 'evidence' order by decided_at`,
    );
    expect(decisions.rows).toEqual([
      { decision: 'approve', reason_code: null },
      { decision: 'reject', reason_code: 'false_detection' },
    ]);
    const views = await ctx.pool.query(
      `select count(*)::int as n from audit_log where action = 'review.view'`,
    );
    expect(views.rows[0].n).toBeGreaterThanOrEqual(2);
  }, 90_000);

  it('the rejection shows in the camera false-positive rate that district staff see', async () => {
    const page = await browser.newPage();
    await signIn(page, baseUrl, 'staff_browser', 'a long test password');
    const row = page.locator('#camera-list tr', { hasText: 'Century Avenue east' });
    expect((await row.locator('td').nth(7).textContent())?.trim()).toBe('50%（共 2 条）');
  });

  it('exports reviewed evidence as a labelled data set', async () => {
    const staff = await new TestClient(ctx.app).login('staff_browser', 'a long test password');
    const res = await staff.request('GET', '/api/review/dataset?decision=both');
    expect(res.statusCode).toBe(200);
    const names: string[] = [];
    const extract = tar.extract();
    await new Promise<void>((resolve, reject) => {
      extract.on('entry', (header, stream, next) => {
        names.push(header.name);
        stream.on('end', next);
        stream.resume();
      });
      extract.on('finish', resolve);
      extract.on('error', reject);
      extract.end(res.rawPayload);
    });
    expect(names.filter((n) => n.startsWith('images/approved/'))).toHaveLength(1);
    expect(names.filter((n) => n.startsWith('labels/rejected/'))).toHaveLength(1);
    expect(names).toContain('classes.txt');
    expect(names).toContain('index.csv');
  });
});
