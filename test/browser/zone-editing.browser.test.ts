import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Zone } from '../../src/zones/zone.schema.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
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
let camServer: http.Server;
let frames: TestFrames;
let api: TestClient;
let cameraId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  const staff = await seedStaff(ctx.pool, 'ze_staff', 'district_staff', 'pudong');
  frames = await extractTestFrames(1);
  camServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    res.end(frames.jpegs[0]);
  });
  camServer.listen(0, '127.0.0.1');
  await once(camServer, 'listening');
  api = await new TestClient(ctx.app).login(staff.username, staff.password);
  const camPort = (camServer.address() as AddressInfo).port;
  cameraId = (
    await api.request('POST', '/api/cameras', {
      name: '世纪大道路口',
      source: { kind: 'snapshot', url: `http://127.0.0.1:${camPort}/snapshot.jpg` },
    })
  ).json().id;
  const saved = await api.request('PUT', `/api/cameras/${cameraId}/zones`, {
    zones: [
      {
        name: '路口禁摆区',
        kind: 'no_stall',
        enabled: true,
        points: [
          { x: 0.2, y: 0.3 },
          { x: 0.6, y: 0.3 },
          { x: 0.6, y: 0.7 },
          { x: 0.2, y: 0.7 },
        ],
      },
    ],
  });
  expect(saved.statusCode).toBe(200);
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  camServer.close();
  await frames.cleanup();
  await ctx.close();
});

async function storedZone(): Promise<Zone> {
  const { zones } = (await api.request('GET', `/api/cameras/${cameraId}/zones`)).json();
  expect(zones).toHaveLength(1);
  return zones[0];
}

async function saveZones(page: Page, version: number): Promise<void> {
  await page.click('#save-zones');
  await page.waitForSelector(`#zones-status[data-saved-version="${version}"]`);
}

describe('editing saved zones and schedules on the camera page', () => {
  it('moves, adds and deletes vertices, changes settings, sets weekly schedules, and refuses a bad one in Chinese', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'ze_staff', 'a long test password');
    await page.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    await page.click('#grab');
    await expect.poll(() => page.textContent('#frame-info'), { timeout: 20_000 }).toMatch(/^\d+×\d+$/);
    const version = Number(await page.getAttribute('[data-version]', 'data-version'));

    await page.click('#zone-list li[data-zone-name="路口禁摆区"] .zone-edit');
    await page.waitForSelector('#zone-settings:not([hidden])');
    const box = (await page.locator('#overlay').boundingBox())!;
    const at = (x: number, y: number) => [box.x + x * box.width, box.y + y * box.height] as const;
    const drag = async (from: readonly [number, number], to: readonly [number, number]) => {
      await page.mouse.move(...at(...from));
      await page.mouse.down();
      await page.mouse.move(...at(...to), { steps: 5 });
      await page.mouse.up();
    };

    // move the first vertex; add one in the middle of the right edge and pull it out; delete the bottom-left one
    await drag([0.2, 0.3], [0.3, 0.2]);
    await drag([0.6, 0.5], [0.7, 0.5]);
    await page.mouse.click(...at(0.2, 0.7));
    await page.click('#delete-vertex');
    await expect(page.textContent('#zone-list li[data-zone-name="路口禁摆区"]')).resolves.toContain(
      '4 个顶点',
    );

    await page.fill('#zs-min-score', '0.6');
    await page.check('input[name="zs-role"][value="goods"]');
    await page.uncheck('#zs-schedule .sched-always');
    for (const day of [1, 3]) await page.click(`#zs-schedule .sched-day[data-day="${day}"] .sched-add`);
    await page.click('#zs-schedule .sched-day[data-day="5"] .sched-add');
    await page.fill('#zs-schedule .sched-day[data-day="5"] .sched-start', '22:00');
    await page.fill('#zs-schedule .sched-day[data-day="5"] .sched-end', '02:00');
    await saveZones(page, version + 1);
    await screenshot(page, 'zone-editing');

    const zone = await storedZone();
    const expected = [
      [0.3, 0.2],
      [0.6, 0.3],
      [0.7, 0.5],
      [0.6, 0.7],
    ];
    expect(zone.points).toHaveLength(4);
    zone.points.forEach((p, i) => {
      expect(p.x).toBeCloseTo(expected[i]![0]!, 2);
      expect(p.y).toBeCloseTo(expected[i]![1]!, 2);
    });
    expect(zone.minScore).toBe(0.6);
    expect(zone.roles).toEqual(['goods']);
    expect(zone.schedule).toEqual([
      { days: [1, 3], start: '08:00', end: '20:00' },
      { days: [5], start: '22:00', end: '02:00' },
    ]);

    // a camera window that opens and closes at once is refused in Chinese before anything is sent
    await page.uncheck('#camera-schedule .sched-always');
    await page.click('#camera-schedule .sched-day[data-day="6"] .sched-add');
    await page.fill('#camera-schedule .sched-day[data-day="6"] .sched-start', '09:00');
    await page.fill('#camera-schedule .sched-day[data-day="6"] .sched-end', '09:00');
    await page.click('#save-schedule');
    await expect(page.textContent('#schedule-error')).resolves.toContain('开始与结束时间相同');
    await page.fill('#camera-schedule .sched-day[data-day="6"] .sched-end', '18:00');
    await page.click('#save-schedule');
    await page.waitForSelector('#schedule-status:has-text("采集时段已保存")');
    const camera = (await api.request('GET', `/api/cameras/${cameraId}`)).json();
    expect(camera.schedule).toEqual({ windows: [{ days: [6], start: '09:00', end: '18:00' }] });
    expect(camera.version).toBe(version + 2);

    // the same check on a zone's window stops the zone save; once fixed, the save goes through at the new version
    await page.fill('#zs-schedule .sched-day[data-day="5"] .sched-end', '22:00');
    await page.click('#save-zones');
    await expect(page.textContent('#zones-error')).resolves.toContain('开始与结束时间相同');
    await page.fill('#zs-schedule .sched-day[data-day="5"] .sched-end', '23:30');
    await page.fill('#zs-min-score', '0.7');
    await saveZones(page, version + 3);
    const again = await storedZone();
    expect(again.minScore).toBe(0.7);
    expect(again.schedule).toEqual([
      { days: [1, 3], start: '08:00', end: '20:00' },
      { days: [5], start: '22:00', end: '23:30' },
    ]);
    expect(errors).toEqual([]);

    // on a phone the open zone form and both schedule editors stay within the screen
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await signIn(phone, baseUrl, 'ze_staff', 'a long test password');
    await phone.goto(`${baseUrl}/staff/cameras/${cameraId}`);
    await phone.click('#zone-list li[data-zone-name="路口禁摆区"] .zone-edit');
    await phone.waitForSelector('#zs-schedule .sched-day[data-day="5"] .sched-start');
    const width = await phone.$eval('html', (el: { scrollWidth: number }) => el.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
  }, 90_000);
});
