import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { seedCamera, seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import { parseExposition, sumOf, valueOf } from '../support/prometheus-text.js';

const TOKEN = 'scrape-token-0123456789abcdef';
let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestContext({ METRICS_TOKEN: TOKEN });
  await seedDistrict(ctx.pool, 'pudong', '浦东新区');
});

afterAll(async () => {
  await ctx?.close();
});

async function scrape() {
  const res = await ctx.app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: res.body, samples: parseExposition(res.body) };
}

describe('the API serves its metrics at /metrics', () => {
  it('refuses a scrape without the configured bearer token', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const wrong = await ctx.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('times requests under their route pattern, never the URL with its token or id', async () => {
    const staff = await seedStaff(ctx.pool, 'metrics-staff', 'district_staff', 'pudong');
    const client = await new TestClient(ctx.app).login(staff.username, staff.password);
    const cameraId = await seedCamera(ctx.pool, 'pudong');
    const before = (await scrape()).samples;
    const route = { method: 'GET', route: '/api/cameras/:id', status: '200' };
    const countBefore = valueOf(before, 'enforcement_http_request_duration_seconds_count', route) ?? 0;

    for (let i = 0; i < 3; i++)
      expect((await client.request('GET', `/api/cameras/${cameraId}`)).statusCode).toBe(200);
    const portalToken = randomBytes(24).toString('base64url');
    await ctx.app.inject({ method: 'GET', url: `/n/${portalToken}` });
    await ctx.app.inject({ method: 'GET', url: `/no/such/${portalToken}` });

    const { text, samples } = await scrape();
    expect(valueOf(samples, 'enforcement_http_request_duration_seconds_count', route)).toBe(countBefore + 3);
    expect(sumOf(samples, 'enforcement_http_request_duration_seconds_count', { route: '/n/:token' })).toBe(1);
    expect(
      valueOf(samples, 'enforcement_http_request_duration_seconds_count', {
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    expect(
      valueOf(samples, 'enforcement_http_request_duration_seconds_count', {
        route: '/auth/login',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain(portalToken);
    expect(text).not.toContain(cameraId);
    // every series is labelled with the process it comes from
    expect(samples.every((s) => s.labels.process === 'api')).toBe(true);
  });

  it('reports queue depth and the age of the oldest waiting job per queue', async () => {
    await ctx.queues.enqueue(
      'detect',
      { frameId: 1, cameraId: 'c', seq: 1, storageKey: 'k', sha256: 'a'.repeat(64) },
      { jobId: 'metrics-1' },
    );
    await ctx.queues.enqueue('deliver', { deliveryId: 'd' }, { jobId: 'metrics-2', delayMs: 3_600_000 });
    const { samples } = await scrape();
    expect(valueOf(samples, 'enforcement_queue_jobs', { queue: 'detect', state: 'waiting' })).toBe(1);
    expect(valueOf(samples, 'enforcement_queue_jobs', { queue: 'deliver', state: 'delayed' })).toBe(1);
    expect(valueOf(samples, 'enforcement_queue_jobs', { queue: 'rules', state: 'waiting' })).toBe(0);
    expect(
      valueOf(samples, 'enforcement_queue_oldest_waiting_seconds', { queue: 'detect' }),
    ).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'enforcement_queue_oldest_waiting_seconds', { queue: 'rules' })).toBe(0);

    // a job added two minutes ago, then a newer one: the age is the older one's
    await ctx.queues
      .queue('recheck')
      .add('recheck', { violationId: 'v1' }, { jobId: 'metrics-3', timestamp: Date.now() - 120_000 });
    await ctx.queues.enqueue('recheck', { violationId: 'v2' }, { jobId: 'metrics-4' });
    const later = (await scrape()).samples;
    const age = valueOf(later, 'enforcement_queue_oldest_waiting_seconds', { queue: 'recheck' })!;
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(120 + 300);
    expect(valueOf(later, 'enforcement_queue_jobs', { queue: 'recheck', state: 'waiting' })).toBe(2);
  });

  it('reports the review backlog by district and stage, with the age of its oldest task', async () => {
    const cameraId = await seedCamera(ctx.pool, 'pudong');
    await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId, stage: 'evidence' });
    await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId, stage: 'evidence' });
    await seedViolationForReview(ctx.pool, ctx.blobs, { districtId: 'pudong', cameraId, stage: 'legal' });
    await ctx.pool.query(
      `update review_tasks set created_at = now() - interval '2 hours' where stage = 'legal'`,
    );
    const { samples } = await scrape();
    const open = { district: 'pudong', status: 'open' };
    expect(valueOf(samples, 'enforcement_review_backlog_tasks', { ...open, stage: 'evidence' })).toBe(2);
    expect(valueOf(samples, 'enforcement_review_backlog_tasks', { ...open, stage: 'legal' })).toBe(1);
    const legalAge = valueOf(samples, 'enforcement_review_backlog_oldest_seconds', {
      district: 'pudong',
      stage: 'legal',
    });
    expect(legalAge).toBeGreaterThanOrEqual(7_200);
    expect(legalAge).toBeLessThan(7_200 + 600);
  });

  it('includes the Node.js process figures, event-loop lag among them', async () => {
    const { samples } = await scrape();
    expect(valueOf(samples, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('documents every family it serves, and the dashboard asks only for families that exist', async () => {
    const { text } = await scrape();
    const families = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const docs = await readFile(path.join(REPO_ROOT, 'docs/metrics.md'), 'utf8');
    const ours = [...families].filter((f) => f.startsWith('enforcement_'));
    expect(ours.length).toBeGreaterThanOrEqual(15);
    for (const family of ours) expect(docs, family).toContain(`\`${family}\``);

    const dashboard = JSON.parse(
      await readFile(path.join(REPO_ROOT, 'docs/grafana-dashboard.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const asked = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) =>
        [...t.expr.matchAll(/\b((?:enforcement|nodejs|process)_[a-z0-9_]+)/g)].map((m) => m[1]!),
      ),
    );
    expect(asked.length).toBeGreaterThan(15);
    for (const name of asked) {
      expect(families.has(name) || families.has(name.replace(/_(bucket|count|sum)$/, '')), name).toBe(true);
    }
  });
});
