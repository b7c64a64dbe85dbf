import { expect } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, started the way this machine allows (no sandbox as root, no background networking). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function signIn(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login')),
    page.click('button[type=submit]'),
  ]);
}

/** Fails the test on any script error or failed console message of the page. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) errors.push(msg.text());
  });
  return errors;
}

/** Screenshots for the README are written only when SCREENSHOT_DIR is set (`npm run screenshots`). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/** Waits until every image matching the selector has loaded (polled: the pages' CSP forbids evaluated strings). */
export async function imagesLoaded(page: Page, selector: string): Promise<void> {
  type Loaded = { complete: boolean; naturalWidth: number };
  await expect
    .poll(
      () =>
        page.$$eval(
          selector,
          (imgs) =>
            imgs.length > 0 &&
            (imgs as unknown as Loaded[]).every((img) => img.complete && img.naturalWidth > 0),
        ),
      { timeout: 20_000, message: `images ${selector} loaded` },
    )
    .toBe(true);
}
