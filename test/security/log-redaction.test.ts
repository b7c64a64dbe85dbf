import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

/**
 * Notice links are credentials: nothing the API process or a worker writes to its log may hold a link token, a
 * session id, a cookie or a query value, whatever the request looked like.
 */

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

let world: PortalWorld;
const log = new Capture();

beforeAll(async () => {
  world = await startPortalWorld({}, { logStream: log });
});
afterAll(() => world.close());

describe('secrets in logs', () => {
  it('never writes a link token, a session id, a cookie or a query value', async () => {
    const { token, caseId } = await caseWithLink(world);
    const browser = new PartyBrowser(world.baseUrl);
    const verified = await browser.verify(token, '8000');
    const sessionId = /psid=([^;]+)/.exec(verified.headers.getSetCookie().join(';'))![1]!;
    const page = await (await browser.get(`/n/${token}?lang=en&done=acknowledged`)).text();
    const evidenceId = /data-evidence-id="([0-9a-f-]{36})"/.exec(page)![1]!;
    await browser.get(`/n/${token}/evidence/${evidenceId}`);
    await browser.get(`/n/${token}/evidence/${evidenceId}?original=1`);
    await browser.get(`/n/${token}/no-such-page?secret=hunter2`);
    await browser.request('POST', `/n/${token}/waive`, new URLSearchParams({}), { origin: 'not a url' });
    await fetch(`${world.baseUrl}/n/${token}`, {
      headers: { authorization: 'Bearer sk-live-abcdef', cookie: `psid=${sessionId}; other=cookie-secret` },
    });
    await fetch(`${world.baseUrl}/api/cases?offset=1e30&token=query-secret`, {
      headers: { cookie: 'sid=staff-session-secret' },
    });
    await fetch(`${world.baseUrl}/n/${token}%00`);
    // the party's credit page and its repair application (with the request key the form carries)
    await browser.get(`/n/${token}/credit?done=repair`);
    await browser.post(`/n/${token}/credit/repair`, {
      reason: '已整改',
      requestKey: 'repair-key-secret-0001',
    });
    await browser.request(
      'POST',
      `/n/${token}/credit/repair`,
      new URLSearchParams({ reason: 'x', requestKey: 'repair-key-secret-0002' }),
      { origin: 'https://evil.example' },
    );

    // A worker logging a message with a link in it, and an error quoting one.
    const workerLog = new Capture();
    const logger = createLogger('info', 'notify', workerLog);
    logger.info({ caseId }, `sent ${world.baseUrl}/n/${token} to the party`);
    logger.error({ err: new Error(`gateway refused ${world.baseUrl}/n/${token}`) }, 'send failed');
    logger.info({ link: `${world.baseUrl}/n/${token}` }, 'with a link field');
    // an error logged as its message only, as the alert and spot-check stages do
    logger.warn({ err: `gateway refused ${world.baseUrl}/n/${token}/credit` }, 'notice not sent');
    logger.flush?.();

    await expect
      .poll(() => log.lines.some((l) => l.includes('/no-such-page')), { timeout: 10_000 })
      .toBe(true);
    const everything = `${log.text}\n${workerLog.text}`;
    for (const secret of [
      token,
      sessionId,
      'hunter2',
      'sk-live-abcdef',
      'cookie-secret',
      'query-secret',
      'staff-session-secret',
      'repair-key-secret-0001',
      'repair-key-secret-0002',
    ])
      expect(everything, `log holds ${secret}`).not.toContain(secret);
    // The lines are there, with the path redacted: the log still says what was asked for.
    expect(log.text).toContain('/n/[redacted]/evidence/');
    expect(log.text).toContain('/n/[redacted]/credit/repair');
    expect(log.text).toContain('lang=[redacted]');
    expect(workerLog.lines.length).toBe(4);
    expect(workerLog.text).toContain('/n/[redacted]');
  });
});
