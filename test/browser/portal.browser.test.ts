import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithLink, deliverLatest, startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { collectPageErrors, imagesLoaded, launchBrowser, screenshot, signIn } from '../support/browser.js';
import { seedStaff } from '../support/test-app.js';

let world: PortalWorld;
let browser: Browser;

beforeAll(async () => {
  world = await startPortalWorld({ PORTAL_VERIFY_LIMIT_PER_TOKEN: '3' });
  await seedStaff(world.ctx.pool, 'pd_legal', 'legal_reviewer', 'pudong');
  await seedStaff(world.ctx.pool, 'pd_head', 'agency_head', 'pudong');
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world.close();
});

const caseEvents = async (caseId: string) =>
  (
    await world.ctx.pool.query('select kind from case_events where case_id = $1 order by id', [caseId])
  ).rows.map((r) => r.kind as string);

describe('the citizen portal in Chromium', () => {
  it('wrong second factors are rate limited, with the same message for every wrong answer', async () => {
    const { link } = await caseWithLink(world);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    for (const guess of ['1111', '2222', '3333']) {
      await page.fill('#factor', guess);
      await Promise.all([page.waitForLoadState('load'), page.click('#verify-button')]);
      expect(await page.textContent('#verify-error')).toContain('链接或验证信息不正确');
    }
    await page.fill('#factor', '8000');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/verify')),
      page.click('#verify-button'),
    ]);
    expect(response.status()).toBe(429);
    expect(await page.textContent('#verify-error')).toContain('尝试次数过多');
    await page.close();
  });

  it('a citizen opens the link, passes the second factor, sees the evidence, acknowledges, makes a statement and pays; the case shows each step', async () => {
    const { caseId, link, token } = await caseWithLink(world);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = collectPageErrors(page);
    await page.goto(link);
    await page.fill('#factor', '8000');
    await Promise.all([page.waitForURL(`**/n/${token}`), page.click('#verify-button')]);
    const caseNumber = (await world.ctx.pool.query('select case_number from cases where id = $1', [caseId]))
      .rows[0].case_number;
    expect(await page.textContent('#case-number')).toBe(caseNumber);
    expect(await page.getAttribute('[data-seal]', 'data-seal')).toBe('valid');

    // The evidence thumbnails load, each with the SHA-256 of its original.
    await imagesLoaded(page, '#evidence img');
    const hashes = await page.$$eval('#evidence img', (imgs) =>
      imgs.map((img) => img.getAttribute('data-sha256')),
    );
    const stored = (
      await world.ctx.pool.query(
        `select sha256 from evidence_items e join cases c on c.violation_id = e.violation_id where c.id = $1 and e.kind <> 'manifest'`,
        [caseId],
      )
    ).rows.map((r) => r.sha256);
    expect(hashes.sort()).toEqual(stored.sort());
    await screenshot(page, 'portal-evidence');

    // English on request; the documents themselves stay in Chinese.
    await page.click('#lang-switch');
    expect(await page.textContent('#ack-advance_notice')).toBe('Acknowledge receipt');
    await page.click('#lang-switch');

    await Promise.all([page.waitForURL(/done=acknowledged/), page.click('#ack-advance_notice')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('statement_window');

    const photo = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#5a7' } })
      .png()
      .toBuffer();
    await page.fill('#statement-body', '货物为临时卸货，已及时清理。');
    await page.setInputFiles('#statement-files', {
      name: '现场照片.png',
      mimeType: 'image/png',
      buffer: photo,
    });
    await Promise.all([page.waitForURL(/done=statement/), page.click('#submit-statement')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('statement_review');
    expect(await page.textContent('#statements')).toContain('现场照片.png');

    // A legal reviewer of the district reads the statement on the case page and rejects it; the fine stays.
    const staff = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(staff, world.baseUrl, 'pd_legal', 'a long test password');
    await staff.goto(`${world.baseUrl}/staff/cases/${caseId}`);
    expect(await staff.textContent('#statements')).toContain('货物为临时卸货');
    // The statement came in today: the decision waits for the party's periods unless it waives them in writing.
    expect(await staff.textContent('#party-periods')).toContain('届满前不作出决定');
    await staff.fill('#waiver-ref', '放弃陈述申辩声明书 浦城管〔2026〕1号');
    await Promise.all([staff.waitForURL(`**/staff/cases/${caseId}`), staff.click('#waiver-submit')]);
    expect(await staff.textContent('#party-periods')).toContain('浦城管〔2026〕1号');
    await staff.selectOption('#outcome', 'reject');
    await staff.fill('#reasons', '视频显示货物摆放超过四十分钟，不属于临时卸货');
    await staff.fill('#opinion', '事实清楚，证据确凿，适用依据正确，程序合法');
    await Promise.all([staff.waitForURL(`**/staff/cases/${caseId}`), staff.click('#review-submit')]);
    expect(await staff.getAttribute('#legal-review', 'data-conclusion')).toBe('approved');

    // The agency head sees what will be issued (the fine in 元 and in capitals), confirms, and decides.
    const head = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(head, world.baseUrl, 'pd_head', 'a long test password');
    await head.goto(`${world.baseUrl}/staff/cases/${caseId}`);
    await Promise.all([head.waitForURL(`**/staff/cases/${caseId}/decide`), head.click('#decide-submit')]);
    const proposed = (await world.ctx.pool.query('select snapshot from cases where id = $1', [caseId]))
      .rows[0].snapshot.proposedFineFen as number;
    expect(Number(await head.getAttribute('#preview-amount', 'data-fen'))).toBe(proposed);
    expect(await head.textContent('#preview-capitals')).toMatch(/元/);
    await Promise.all([head.waitForURL(`**/staff/cases/${caseId}`), head.click('#confirm-decide')]);
    expect(await head.getAttribute('#case-status', 'data-state')).toBe('decided');
    await head.close();

    // The sweep issues the decision and the SMS goes out; the party acknowledges it and pays.
    expect((await world.services.sweep.sweep()).decisions).toBe(1);
    await deliverLatest(world, caseId, 'decision');
    await page.reload();
    await Promise.all([page.waitForURL(/done=acknowledged/), page.click('#ack-decision')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('payment_due');
    const due = Number(await page.getAttribute('#amount-due', 'data-fen'));
    expect(due).toBe(
      (await world.ctx.pool.query('select snapshot from cases where id = $1', [caseId])).rows[0].snapshot
        .fineFen,
    );
    await Promise.all([page.waitForURL(/\/sandbox\/pay\/checkout\//), page.click('#pay-button')]);
    await Promise.all([page.waitForURL(/done=payment/), page.click('#sandbox-pay')]);
    expect(await page.getAttribute('#case-status', 'data-state')).toBe('closed');
    expect(await page.textContent('#paid-amount')).toContain('已缴纳');
    // The first screen after paying (390x844) shows the receipt link, whose seal the portal has checked.
    const receiptLink = (await page.locator('#receipt-link').boundingBox())!;
    expect(receiptLink.y).toBeGreaterThanOrEqual(0);
    expect(receiptLink.y + receiptLink.height).toBeLessThanOrEqual(844);
    expect(await page.getAttribute('#payment [data-seal]', 'data-seal')).toBe('valid');
    const receipt = await page
      .context()
      .request.get(new URL((await page.getAttribute('#receipt-link', 'href'))!, page.url()).toString());
    expect(receipt.headers()['content-type']).toContain('text/html');
    const receiptHtml = await receipt.text();
    expect(receiptHtml).toContain('罚没款缴款凭证');
    expect(receiptHtml).toMatch(/大写：[^）]+元/);
    await screenshot(page, 'portal-paid');

    await staff.reload();
    const steps = await staff.$$eval('#events li', (items) =>
      items.map((li) => li.getAttribute('data-event')),
    );
    expect(steps).toEqual([
      'filed',
      'send_advance_notice',
      'advance_notice_received',
      'statement_submitted',
      'rights_waived',
      'legal_review',
      'decide',
      'decision_issued',
      'deliver_decision',
      'decision_received',
      'payment_received',
      'close',
    ]);
    expect(steps).toEqual(await caseEvents(caseId));
    expect(await staff.getAttribute('#payments li', 'data-payment')).toBe('paid');
    expect(await staff.textContent('#payments')).toContain('已支付');
    expect(errors).toEqual([]);
    await staff.close();
    await page.close();
  });
});
