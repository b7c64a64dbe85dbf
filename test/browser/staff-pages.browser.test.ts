import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffRole } from '../../src/auth/principal.js';
import { collectPageErrors, launchBrowser, signIn } from '../support/browser.js';
import { caseWithLink, startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { seedStaff } from '../support/test-app.js';

/**
 * Every page the top bar leads to, for every role, as a Chinese reader sees it: it opens (no error), it is in
 * Chinese (`lang="zh-CN"`, mostly Chinese text), it shows no raw code (`advance_notice_sent`, `dumping_spot`), and
 * it fits a 390 px phone screen. The pages are found from the navigation itself, so a page added to the top bar
 * is checked without this test changing.
 */
const ROLES: readonly [StaffRole, string | null][] = [
  ['admin', null],
  ['district_staff', 'pudong'],
  ['evidence_reviewer', 'pudong'],
  ['legal_reviewer', 'pudong'],
  ['agency_head', 'pudong'],
  ['patrol', 'pudong'],
  ['leader', 'pudong'],
];
/** Third-party pages the top bar links to, in their own language (the BullMQ board). */
const NOT_OURS = new Set(['/admin/queues']);
const NAMES: Record<StaffRole, string> = {
  admin: '系统管理员甲',
  district_staff: '执法队员乙',
  evidence_reviewer: '证据审核员丙',
  legal_reviewer: '法制审核员丁',
  agency_head: '负责人戊',
  patrol: '巡查队员己',
  leader: '领导庚',
};

let world: PortalWorld;
let browser: Browser;

beforeAll(async () => {
  world = await startPortalWorld();
  await caseWithLink(world);
  // the district's data as a bureau's would be: Chinese camera names (the seed's are random Latin codes)
  await world.ctx.pool.query(
    `update cameras set name = '世纪大道东口' || substr(id::text, 1, 2), address = '浦东新区世纪大道'`,
  );
  for (const [role, district] of ROLES) {
    // user names without underscores: the names are data, not codes, and the raw-code check looks for a_b
    const { id } = await seedStaff(world.ctx.pool, `probe-${role.replace(/_/g, '-')}`, role, district);
    await world.ctx.pool.query('update staff_users set display_name = $2 where id = $1', [id, NAMES[role]]);
  }
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

interface Reading {
  lang: string | null;
  cjk: number;
  latin: number;
  codes: string[];
  scrollWidth: number;
}

async function read(page: Page): Promise<Reading> {
  return page.evaluate(`(() => {
    const text = document.body.innerText;
    const codes = [...new Set(text.match(/\\b[a-z]+(?:_[a-z]+)+\\b/g) ?? [])];
    return {
      lang: document.documentElement.getAttribute('lang'),
      cjk: (text.match(/[\\u4e00-\\u9fff]/g) ?? []).length,
      latin: (text.match(/[A-Za-z]/g) ?? []).length,
      codes,
      scrollWidth: document.documentElement.scrollWidth,
    };
  })()`);
}

describe('every staff page of the top bar', () => {
  it(
    'opens in Chinese with no raw codes, for every role, and fits a phone',
    { timeout: 600_000 },
    async () => {
      const faults: string[] = [];
      let visited = 0;
      for (const [role] of ROLES) {
        const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
        const errors = collectPageErrors(page);
        await signIn(page, world.baseUrl, `probe-${role.replace(/_/g, '-')}`, 'a long test password');
        const hrefs = await page.$$eval('nav.top a[href]', (links) =>
          links.map((a) => (a as unknown as { getAttribute(n: string): string }).getAttribute('href')),
        );
        expect(hrefs.length, role).toBeGreaterThan(0);
        for (const href of hrefs.filter((h) => !NOT_OURS.has(h))) {
          const res = await page.goto(`${world.baseUrl}${href}`);
          visited++;
          const where = `${role} ${href}`;
          if (!res || res.status() >= 400) {
            faults.push(`${where}: status ${res?.status()}`);
            continue;
          }
          await page.waitForLoadState('load');
          const wide = await read(page);
          if (wide.lang !== 'zh-CN') faults.push(`${where}: lang ${wide.lang}`);
          if (wide.cjk < wide.latin)
            faults.push(`${where}: ${wide.cjk} Chinese characters, ${wide.latin} Latin letters`);
          if (wide.codes.length) faults.push(`${where}: raw codes ${wide.codes.join(', ')}`);
          await page.setViewportSize({ width: 390, height: 844 });
          const narrow = await read(page);
          if (narrow.scrollWidth > 390) faults.push(`${where}: ${narrow.scrollWidth} px wide at 390 px`);
          await page.setViewportSize({ width: 1366, height: 900 });
        }
        expect(errors, role).toEqual([]);
        await page.close();
      }
      expect(faults).toEqual([]);
      expect(visited).toBeGreaterThan(ROLES.length * 2);
    },
  );
});
