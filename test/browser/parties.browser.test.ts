import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/parties/identity-codes.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { createTestContext, seedDistrict, seedStaff, type TestContext } from '../support/test-app.js';

/*
 * The party register in Chromium: a reviewer adds a shop, is warned of a second shop at the same name and address
 * and confirms it, then imports a small shop register file: the dry run lists the rows to import and the refused
 * rows with their reasons and stores nothing; the import stores the good rows.
 */

let ctx: TestContext;
let browser: Browser;
let baseUrl: string;

const code = (body: string) => body + creditCodeCheckChar(body)!;
const malformed = (() => {
  const good = code('91310115MA1K30009');
  return good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
})();

const countParties = async () =>
  Number((await ctx.pool.query(`select count(*) from parties where district_id = 'pudong'`)).rows[0].count);

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
  await seedStaff(ctx.pool, 'party_reviewer', 'evidence_reviewer', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('party register in the browser', () => {
  it(
    'adds a shop, confirms a second at the same place, imports a CSV after a dry run',
    { timeout: 90_000 },
    async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors = collectPageErrors(page);
      await signIn(page, baseUrl, 'party_reviewer', 'a long test password');
      await page.goto(`${baseUrl}/staff/parties`);
      await page.click('#add-party');
      await page.fill('#party-name', '张记小吃店');
      await page.fill('#party-id-number', code('91310115MA1K30001').toLowerCase());
      await page.fill('#party-address', '浦东新区东方路 100 号');
      await page.click('#party-submit');
      await expect.poll(() => page.locator('#party-detail').count(), { timeout: 15_000 }).toBe(1);

      await page.goto(`${baseUrl}/staff/parties/new`);
      await page.fill('#party-name', '张记小吃店');
      await page.fill('#party-id-number', code('91310115MA1K30002'));
      await page.fill('#party-address', '浦东新区东方路100号');
      await page.click('#party-submit');
      await expect.poll(() => page.locator('#same-place-warning').count(), { timeout: 15_000 }).toBe(1);
      expect(await countParties()).toBe(1);
      await page.check('#confirm-same-place');
      await page.click('#party-submit');
      await expect.poll(() => page.locator('#party-detail').count(), { timeout: 15_000 }).toBe(1);
      expect(await countParties()).toBe(2);

      const dir = mkdtempSync(join(tmpdir(), 'parties-'));
      const file = join(dir, 'shops.csv');
      writeFileSync(
        file,
        [
          '名称,统一社会信用代码,地址,联系电话',
          `好运便利店,${code('91310115MA1K30003')},浦东新区张杨路 1 号,13800138001`,
          `错号店,${malformed},浦东新区张杨路 3 号,`,
          `重复店,${code('91310115MA1K30001')},浦东新区张杨路 4 号,`,
          `第三家,${code('91310115MA1K30005')},浦东新区张杨路 7 号,`,
        ].join('\r\n'),
      );
      await page.goto(`${baseUrl}/staff/parties`);
      await page.click('#import-parties');
      await page.setInputFiles('#import-file', file);
      await page.click('#import-dry-run');
      await expect
        .poll(() => page.locator('#import-report[data-dry-run="yes"]').count(), { timeout: 15_000 })
        .toBe(1);
      expect(await page.locator('#accepted-rows tbody tr').count()).toBe(2);
      expect(await page.locator('#refused-rows tr[data-line="3"]').getAttribute('data-reason')).toBe(
        'malformed_credit_code',
      );
      expect(await page.locator('#refused-rows tr[data-line="4"]').getAttribute('data-reason')).toBe(
        'duplicate_code_in_register',
      );
      await expect.poll(() => page.locator('#refused-rows').textContent()).toContain('校验码');
      expect(await countParties()).toBe(2);
      await screenshot(page, 'party-import-dry-run');

      await page.click('#import-submit');
      await expect
        .poll(() => page.locator('#import-report[data-dry-run="no"]').count(), { timeout: 15_000 })
        .toBe(1);
      expect(await page.locator('#accepted-count').getAttribute('data-count')).toBe('2');
      expect(await countParties()).toBe(4);

      await page.goto(`${baseUrl}/staff/parties?q=${encodeURIComponent('好运')}`);
      expect(await page.locator('#party-list tbody tr').count()).toBe(1);
      expect(errors).toEqual([]);
    },
  );
});
