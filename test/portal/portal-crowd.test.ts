import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_LOCK_KEY, flushAuditOutbox, verifyAuditChain } from '../../src/audit/audit.repo.js';
import { PORTAL_THUMBNAIL_WIDTH } from '../../src/cases/evidence-thumbnail.adapter.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

/**
 * The portal under a crowd: one session cannot flood it, a party's views are recorded without waiting for the
 * audit chain's lock (and none is lost), and evidence thumbnails are made once and served from storage.
 */

let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld({ PORTAL_REQUESTS_PER_MINUTE: '12' });
});
afterAll(() => world.close());

async function openedCase() {
  const { token, caseId } = await caseWithLink(world);
  const browser = new PartyBrowser(world.baseUrl);
  expect((await browser.verify(token, '8000')).status).toBe(303);
  return { token, caseId, browser };
}

describe('the portal under a crowd', () => {
  it('throttles one session, not the others', async () => {
    const a = await openedCase();
    const b = await openedCase();
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) statuses.push((await a.browser.get(`/n/${a.token}`)).status);
    expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(12)).toEqual([429, 429]);
    const limited = await a.browser.get(`/n/${a.token}/receipt.json`);
    expect(limited.status).toBe(429);
    expect((await b.browser.get(`/n/${b.token}`)).status).toBe(200);
  });

  it('records every view without taking the audit lock, and the chain takes them all', async () => {
    const { token, caseId, browser } = await openedCase();
    const blocker = await world.ctx.pool.connect();
    try {
      // Another step holds the chain's lock for as long as the views take: they must not wait for it.
      await blocker.query('begin');
      await blocker.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
      const started = Date.now();
      for (let i = 0; i < 5; i++) expect((await browser.get(`/n/${token}`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await blocker.query('rollback');
      blocker.release();
    }
    await flushAuditOutbox(world.ctx.pool);
    const views = await world.ctx.pool.query(
      `select count(*)::int as n from audit_log where action = 'portal.view' and subject_id = $1`,
      [caseId],
    );
    expect(views.rows[0].n).toBe(5);
    expect((await world.ctx.pool.query('select count(*)::int as n from audit_outbox')).rows[0].n).toBe(0);
    expect((await verifyAuditChain(world.ctx.pool)).ok).toBe(true);
  });

  it('folds waiting views into the chain before the next audited step', async () => {
    const { token, caseId, browser } = await openedCase();
    await browser.get(`/n/${token}`);
    const noticeId = (await world.ctx.pool.query('select id from notices where case_id = $1', [caseId]))
      .rows[0].id;
    expect((await browser.post(`/n/${token}/acknowledge`, { noticeId })).status).toBe(303);
    const actions = (
      await world.ctx.pool.query(
        `select action from audit_log where subject_id in ($1, $2) and action in ('portal.view', 'portal.acknowledge') order by id`,
        [caseId, noticeId],
      )
    ).rows.map((r) => r.action);
    expect(actions).toEqual(['portal.view', 'portal.acknowledge']);
  });

  it('makes an evidence thumbnail once, keeps it in the blob store and serves it from there', async () => {
    const { token, browser } = await openedCase();
    const page = await (await browser.get(`/n/${token}`)).text();
    const evidenceId = /data-evidence-id="([0-9a-f-]{36})"/.exec(page)![1]!;
    const first = await browser.get(`/n/${token}/evidence/${evidenceId}`);
    expect(first.status).toBe(200);
    const sha256 = first.headers.get('x-content-sha256')!;
    const key = `thumbnails/portal-${PORTAL_THUMBNAIL_WIDTH}/${sha256}.jpg`;
    const stored = await world.ctx.blobs.get(key);
    expect(Buffer.from(await first.arrayBuffer()).equals(stored)).toBe(true);
    // Put a different image in its place: the next answer is the stored one, so nothing was rebuilt.
    const marker = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 255, g: 0, b: 255 } },
    })
      .jpeg()
      .toBuffer();
    await world.ctx.blobs.put(key, marker);
    const second = await browser.get(`/n/${token}/evidence/${evidenceId}`);
    expect(Buffer.from(await second.arrayBuffer()).equals(marker)).toBe(true);
  });
});
