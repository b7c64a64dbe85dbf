import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithLink, startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { collectPageErrors, launchBrowser, signIn } from '../support/browser.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import { seedStaff } from '../support/test-app.js';

/**
 * Every staff and public page fits a 390 px wide phone screen: nothing makes the page scroll sideways (wide
 * tables scroll inside their own box, the top bar stays on one line).
 */
const WIDTH = 390;
let world: PortalWorld;
let browser: Browser;
let caseId: string;
let link: string;
let token: string;

beforeAll(async () => {
  world = await startPortalWorld();
  await seedStaff(world.ctx.pool, 'narrow_admin', 'admin', null);
  await seedStaff(world.ctx.pool, 'narrow_ev', 'evidence_reviewer', 'pudong');
  await seedStaff(world.ctx.pool, 'narrow_legal', 'legal_reviewer', 'pudong');
  ({ caseId, link, token } = await caseWithLink(world));
  await seedViolationForReview(world.ctx.pool, world.ctx.blobs, {
    districtId: 'pudong',
    cameraId: world.seed.cameraId,
  });
  await seedViolationForReview(world.ctx.pool, world.ctx.blobs, {
    districtId: 'pudong',
    cameraId: world.seed.cameraId,
    stage: 'legal',
  });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** How wide the page is, and the outermost elements that reach past the screen's right edge (to say why). */
async function overflow(page: Page): Promise<{ scrollWidth: number; culprits: string[] }> {
  interface Box {
    tagName: string;
    id: string;
    className: unknown;
    parentElement: Box | null;
    getBoundingClientRect(): { right: number };
  }
  const scrollWidth = await page.$eval(
    'html',
    (el) => (el as unknown as { scrollWidth: number }).scrollWidth,
  );
  const culprits = await page.$$eval(
    'body *',
    (els, width) =>
      (els as unknown as Box[])
        .filter(
          (el) =>
            el.getBoundingClientRect().right > width + 0.5 &&
            (el.parentElement?.getBoundingClientRect().right ?? 0) <= width + 0.5,
        )
        .slice(0, 8)
        .map(
          (el) =>
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${String(el.className)} → ${Math.round(el.getBoundingClientRect().right)}`,
        ),
    WIDTH,
  );
  return { scrollWidth, culprits };
}

async function measure(page: Page, url: string, widths: Record<string, unknown>): Promise<void> {
  if (url) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBeLessThan(500);
  }
  await page.waitForLoadState('load');
  const { scrollWidth, culprits } = await overflow(page);
  if (scrollWidth > WIDTH) widths[new URL(page.url()).pathname] = { scrollWidth, culprits };
  // the staff top bar stays one line
  const nav = await page.$('nav.top');
  if (nav) expect((await nav.boundingBox())!.height, `top bar of ${url}`).toBeLessThan(60);
}

describe('narrow screens (390 x 844)', () => {
  it('no staff or public page scrolls sideways', async () => {
    const base = world.baseUrl;
    const wide: Record<string, unknown> = {};
    const viewport = { width: WIDTH, height: 844 };

    const visitor = await browser.newPage({ viewport });
    const visitorErrors = collectPageErrors(visitor);
    for (const path of [
      '/login',
      '/devices',
      '/public/matters',
      '/public/benchmark',
      '/public/no-penalty',
      '/no/such/page',
    ])
      await measure(visitor, `${base}${path}`, wide);
    await measure(visitor, `${base}/portal/seal`, wide);
    await measure(visitor, link, wide);
    await visitor.fill('#factor', '8000');
    await Promise.all([visitor.waitForURL(`**/n/${token}`), visitor.click('#verify-button')]);
    await measure(visitor, '', wide);

    const admin = await browser.newPage({ viewport });
    const adminErrors = collectPageErrors(admin);
    await signIn(admin, base, 'narrow_admin', 'a long test password');
    const adminId = (
      await world.ctx.pool.query<{ id: string }>(`select id from staff_users where username = 'narrow_admin'`)
    ).rows[0]!.id;
    for (const path of [
      '/staff/users',
      '/staff/users/new',
      `/staff/users/${adminId}`,
      '/staff/cameras',
      '/staff/cameras/new',
      `/staff/cameras/${world.seed.cameraId}`,
      `/staff/cameras/${world.seed.cameraId}/edit`,
      `/staff/cameras/${world.seed.cameraId}/register`,
      '/staff/cases',
      `/staff/cases/${caseId}`,
      '/devices',
      '/staff/cases/not-a-uuid',
    ])
      await measure(admin, `${base}${path}`, wide);

    // the collapsed top bar opens as a list that holds every link, the "more" ones included, and still fits
    await admin.goto(`${base}/staff/cases`);
    expect(await admin.isVisible('#nav-users')).toBe(false);
    await admin.click('#nav-toggle');
    expect(await admin.isVisible('#nav-cameras')).toBe(true);
    expect(await admin.isVisible('#nav-users')).toBe(true);
    expect(await admin.isVisible('#logout')).toBe(true);
    expect((await overflow(admin)).scrollWidth).toBeLessThanOrEqual(WIDTH);

    const reviewer = await browser.newPage({ viewport });
    const reviewerErrors = collectPageErrors(reviewer);
    await signIn(reviewer, base, 'narrow_ev', 'a long test password');
    await measure(reviewer, `${base}/review`, wide);
    await Promise.all([reviewer.waitForURL(/\/review\/tasks\//), reviewer.click('#start')]);
    await measure(reviewer, '', wide);

    const legal = await browser.newPage({ viewport });
    const legalErrors = collectPageErrors(legal);
    await signIn(legal, base, 'narrow_legal', 'a long test password');
    await measure(legal, `${base}/review`, wide);
    await Promise.all([legal.waitForURL(/\/review\/tasks\//), legal.click('#start')]);
    await measure(legal, '', wide);

    expect(wide).toEqual({});
    expect([...visitorErrors, ...adminErrors, ...reviewerErrors, ...legalErrors]).toEqual([]);
  }, 120_000);
});
