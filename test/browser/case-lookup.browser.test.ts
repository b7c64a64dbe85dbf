import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileCase, seedCaseParty } from '../support/case-fixtures.js';
import { startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { collectPageErrors, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { seedStaff } from '../support/test-app.js';

let world: PortalWorld;
let browser: Browser;

beforeAll(async () => {
  world = await startPortalWorld();
  await seedStaff(world.ctx.pool, 'pd_staff_files', 'district_staff', 'pudong');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world.close();
});

describe('a postal recipient opens the case from the QR code', () => {
  it('types the second factor on the QR page, acts as from the SMS link, and staff open the attachment from the case page', async () => {
    const { id, idNumber } = await seedCaseParty(world.ctx, { consent: false, phone: null });
    const caseId = await fileCase(world.ctx, world.seed, id);
    await world.services.notices.issue(caseId, 'advance_notice');
    const { rows } = await world.ctx.pool.query(
      `select c.case_number, 'SH-' || d.case_prefix || '-' || c.year || '-' || lpad(c.seq::text, 6, '0') as ascii
         from cases c join districts d on d.id = c.district_id where c.id = $1`,
      [caseId],
    );
    const { case_number: caseNumber, ascii } = rows[0] as { case_number: string; ascii: string };

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(page);
    await page.goto(`${world.baseUrl}/portal/cases/${ascii}`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.inputValue('#case-number')).toBe(caseNumber);
    expect(
      await page.$eval('html', (root) => (root as unknown as { scrollWidth: number }).scrollWidth),
    ).toBeLessThanOrEqual(390);
    await screenshot(page, 'portal-case-lookup');

    await page.fill('#factor', '000000');
    await Promise.all([page.waitForLoadState('load'), page.click('#lookup-button')]);
    expect(await page.textContent('#lookup-error')).toContain('案件编号或验证信息不正确');
    expect(await page.inputValue('#case-number')).toBe(caseNumber);

    await page.fill('#factor', idNumber.slice(-6));
    await Promise.all([page.waitForURL(/\/n\/[A-Za-z0-9_-]{43}$/), page.click('#lookup-button')]);
    expect(await page.textContent('#case-number')).toBe(caseNumber);
    await Promise.all([page.waitForURL(/done=acknowledged/), page.click('#ack-advance_notice')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('statement_window');
    const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#5a7' } })
      .png()
      .toBuffer();
    await page.fill('#statement-body', '我已收到邮寄的告知书，货物为临时卸货。');
    await page.setInputFiles('#statement-files', {
      name: '现场照片.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await Promise.all([page.waitForURL(/done=statement/), page.click('#submit-statement')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('statement_review');
    expect(errors).toEqual([]);
    await page.close();

    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await signIn(staff, world.baseUrl, 'pd_staff_files', 'a long test password');
    await staff.goto(`${world.baseUrl}/staff/cases/${caseId}`);
    expect(await staff.$$eval('#case-documents a', (links) => links.map((a) => a.textContent))).toEqual([
      'PDF',
      '网页版',
    ]);
    expect(await staff.$$eval('#case-evidence a', (links) => links.length)).toBeGreaterThan(0);
    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      staff.click('#case-attachments a'),
    ]);
    expect(download.suggestedFilename()).toBe('现场照片.png');
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(photo)).toBe(true);
    const audit = await world.ctx.pool.query(
      `select count(*)::int as n from audit_log where action = 'statement.attachment_view' and data->>'caseId' = $1`,
      [caseId],
    );
    expect(audit.rows[0].n).toBe(1);
    await staff.close();
  });
});
