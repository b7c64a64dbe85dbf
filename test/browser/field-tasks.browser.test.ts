import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseService } from '../../src/cases/case.service.js';
import { shanghaiDateOf } from '../../src/law/local-date.js';
import { fileCase, seedCaseParty, seedPudong } from '../support/case-fixtures.js';
import { collectPageErrors, imagesLoaded, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { seedParty, seedViolationForReview } from '../support/seed-violations.js';
import { withTransaction } from '../../src/db/pool.js';
import { dispatchFieldTask } from '../../src/field-tasks/field-task-dispatch.service.js';
import { createTestContext, seedStaff, type TestContext } from '../support/test-app.js';
import { photoJpeg, sendToField, validIdNumber } from '../field-tasks/field-fixtures.js';

/**
 * Field tasks and the announcement, in Chromium: the patrol, on a phone-wide screen, opens the task with its
 * evidence, map link and deadline, registers the stall keeper found on site with a photo, and the case is filed;
 * district staff record the post's return and publish an announcement that the public page lists.
 */
let ctx: TestContext;
let browser: Browser;
let baseUrl: string;
let seed: Awaited<ReturnType<typeof seedPudong>>;
const today = shanghaiDateOf(new Date());

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await ctx.pool.query('update cameras set latitude = 31.2304, longitude = 121.5447 where id = $1', [
    seed.cameraId,
  ]);
  await seedStaff(ctx.pool, 'patrol_browser', 'patrol', 'pudong');
  await seedStaff(ctx.pool, 'staff_browser', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'legal_field_browser', 'legal_reviewer', 'pudong');
  await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  baseUrl = `http://127.0.0.1:${(ctx.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

describe('field tasks, in the browser', () => {
  it('the patrol identifies the party for a task with evidence, and the case goes on', async () => {
    const { fieldTaskId, violationId } = await sendToField(ctx, seed);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'patrol_browser', 'a long test password');

    await page.goto(`${baseUrl}/staff/field-tasks`);
    await page.click(`[data-task="${fieldTaskId}"] a`);
    await page.waitForURL(`${baseUrl}/staff/field-tasks/${fieldTaskId}`);
    await imagesLoaded(page, '#field-evidence img');
    expect(await page.locator('#field-map-link').getAttribute('href')).toMatch(/^geo:31\.230400,121\.544700/);
    expect(await page.locator('#field-due').textContent()).toMatch(/处理期限：\d{4}年\d{1,2}月\d{1,2}日/);
    // Nothing scrolls sideways on a phone.
    const width = await page.$eval('html', (el) => (el as unknown as { scrollWidth: number }).scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await screenshot(page, 'field-task');

    const idNumber = validIdNumber();
    await page.click('#field-new-party summary');
    await page.selectOption('#new-kind', 'person');
    await page.fill('#new-name', '陈某某');
    await page.fill('#new-id-number', idNumber);
    await page.fill('#new-phone', '13700137000');
    await page.fill('#field-note', '摊主在场，已告知其违法事实');
    await page.setInputFiles('#field-photos', {
      name: '现场.jpg',
      mimeType: 'image/jpeg',
      buffer: await photoJpeg(),
    });
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/field-tasks/${fieldTaskId}`),
      page.click('#field-report-submit'),
    ]);
    expect(await page.locator('#field-done').getAttribute('data-outcome')).toBe('party');
    const recorded = await page.locator('#field-party-recorded').textContent();
    expect(recorded).toContain('陈某某');
    expect(recorded).not.toContain(idNumber);
    const caseNumber = await page.locator('#field-case-link').textContent();
    expect(caseNumber).toMatch(/^沪浦城管非现〔\d{4}〕第\d{6}号$/);
    expect(await page.locator('#field-photos-recorded li').count()).toBe(1);

    const filed = (await ctx.pool.query('select status from cases where violation_id = $1', [violationId]))
      .rows[0];
    expect(filed.status).toBe('filed');
    await page.goto(`${baseUrl}/staff/field-tasks`);
    expect(await page.locator(`[data-task="${fieldTaskId}"]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('district staff publish an announcement after the deliveries failed, and the public page lists it', async () => {
    const party = await seedCaseParty(ctx, { consent: false });
    const caseId = await fileCase(ctx, seed, party.id);
    await new CaseService(ctx.pool).apply(
      caseId,
      { type: 'send_advance_notice', on: today },
      {
        kind: 'system',
        id: 'test',
      },
    );
    const { rows } = await ctx.pool.query<{ id: string; case_number: string }>(
      `insert into notices (case_id, violation_id, party_id, kind, document_key, issued_on)
       select id, violation_id, party_id, 'advance_notice', 'documents/test.pdf', $2 from cases where id = $1
       returning id, (select case_number from cases where id = $1)`,
      [caseId, today],
    );
    const noticeId = rows[0]!.id;
    await ctx.pool.query(
      `insert into deliveries (notice_id, channel, address, status, last_error) values
         ($1, 'sms', '13800138000', 'failed', 'gateway: number not in service'),
         ($1, 'postal', null, 'fallback', 'postal delivery needed')`,
      [noticeId],
    );
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'staff_browser', 'a long test password');
    await page.goto(`${baseUrl}/staff/cases/${caseId}/delivery`);
    const card = page.locator(`[data-notice="${noticeId}"]`);
    // Before the post came back the announcement is refused, and nothing is published.
    await card.locator('.publish-announcement button').click();
    expect(await page.locator('#announcement-error').textContent()).toContain(
      'an announcement before the other means were tried',
    );
    await page.goto(`${baseUrl}/staff/cases/${caseId}/delivery`);
    await card.locator('.postal-returned input[name="reason"]').fill('查无此人');
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${caseId}/delivery`),
      card.locator('.postal-returned button').click(),
    ]);
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/cases/${caseId}/delivery`),
      card.locator('.publish-announcement button').click(),
    ]);
    expect(await card.locator('.announcement-status').getAttribute('data-served')).toBe('no');
    await screenshot(page, 'case-announcement');

    await page.goto(`${baseUrl}/public/announcements`);
    const item = page.locator(`[data-case-number="${rows[0]!.case_number}"]`);
    expect(await item.count()).toBe(1);
    const text = await item.textContent();
    expect(text).toContain('张某某');
    expect(text).toContain('经过六十日，即视为送达');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the legal reviewer sends a violation whose party is unknown to the patrol from the workbench', async () => {
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      partyId: null,
      stage: 'legal',
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'legal_field_browser', 'a long test password');
    await Promise.all([page.waitForURL(/\/review\/tasks\//), page.keyboard.press('n')]);
    await Promise.all([page.waitForURL(/\/review\?empty=1/), page.click('#send-to-field')]);
    const task = (
      await ctx.pool.query(
        `select t.status, t.reason, v.status as violation_status from field_tasks t join violations v on v.id = t.violation_id
          where t.violation_id = $1`,
        [violationId],
      )
    ).rows;
    expect(task).toEqual([{ status: 'open', reason: 'party_unknown', violation_status: 'awaiting_party' }]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('district staff ring the party of a warning and record that it answered (Pudong art. 15)', async () => {
    const partyId = await seedParty(ctx.pool, 'pudong');
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      partyId,
      stage: 'evidence',
    });
    const callTaskId = await withTransaction(ctx.pool, (tx) =>
      dispatchFieldTask(tx, {
        violationId,
        districtId: 'pudong',
        reason: 'voice_call',
        partyId,
        requestedBy: { kind: 'system', id: 'test' },
      }),
    );
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(page);
    await signIn(page, baseUrl, 'staff_browser', 'a long test password');
    await page.goto(`${baseUrl}/staff/field-tasks`);
    const item = page.locator(`[data-task="${callTaskId}"]`);
    expect(await item.textContent()).toContain('138****8000');
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/field-tasks/${callTaskId}`),
      item.locator('a').click(),
    ]);
    expect(await page.locator('#call-phone').getAttribute('href')).toBe('tel:13800138000');
    expect(await page.locator('#call-script').textContent()).toContain('请立即改正');
    await page.check('#call-answered');
    await page.fill('#call-note', '当事人表示立即整改');
    await screenshot(page, 'field-voice-call');
    await Promise.all([
      page.waitForURL(`${baseUrl}/staff/field-tasks/${callTaskId}`),
      page.click('#field-call-submit'),
    ]);
    expect(await page.locator('#field-done').getAttribute('data-outcome')).toBe('answered');
    expect(await page.locator('#call-phone').textContent()).not.toContain('13800138000');
    const task = (
      await ctx.pool.query('select status, outcome, called_at from field_tasks where id = $1', [callTaskId])
    ).rows[0];
    expect(task).toMatchObject({ status: 'done', outcome: 'answered' });
    expect(task.called_at).not.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});
