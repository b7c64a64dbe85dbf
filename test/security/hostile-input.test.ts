import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { seedDistrict, seedStaff, TestClient } from '../support/test-app.js';
import { aimAreaCorpusAt, areaCorpus } from './hostile-input-areas.corpus.js';
import {
  aimCorpusAt,
  corpus as olderCorpus,
  inj,
  TABLES,
  type HostileTarget,
  type Reply,
  type Table,
} from './hostile-input.corpus.js';

/**
 * Hostile input across every door of the API process: each case must get a clear 4xx (never a 5xx) and leave
 * the tables it names unchanged. The cases are tables in hostile-input.corpus.ts (the older doors) and
 * hostile-input-areas.corpus.ts (the areas around the pipeline); add a row for every new way in.
 */

const corpus = [...olderCorpus, ...areaCorpus];

let world: PortalWorld;
let admin: TestClient;
let staff: TestClient;
let cameraId: string;
let party: HostileTarget['party'];

async function counts(): Promise<Record<Table, number>> {
  const sql = `select ${TABLES.map((t) => `(select count(*)::int from ${t}) as ${t}`).join(', ')}`;
  return (await world.ctx.pool.query(sql)).rows[0] as Record<Table, number>;
}

beforeAll(async () => {
  world = await startPortalWorld({ PORTAL_REQUESTS_PER_MINUTE: '10000' });
  await seedDistrict(world.ctx.pool, 'huangpu');
  const a = await seedStaff(world.ctx.pool, 'hostile-admin', 'admin', null);
  const s = await seedStaff(world.ctx.pool, 'hostile-staff', 'district_staff', 'pudong');
  admin = await new TestClient(world.ctx.app).login(a.username, a.password);
  staff = await new TestClient(world.ctx.app).login(s.username, s.password);
  const created = await inj(staff, 'POST', '/api/cameras', {
    name: 'Hostile gate',
    source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
  });
  cameraId = JSON.parse(created.body).id as string;
  const { caseId, token } = await caseWithLink(world);
  const browser = new PartyBrowser(world.baseUrl);
  expect((await browser.verify(token, '8000')).status).toBe(303);
  const noticeId = (await world.ctx.pool.query(`select id from notices where case_id = $1`, [caseId])).rows[0]
    .id as string;
  expect((await browser.post(`/n/${token}/acknowledge`, { noticeId })).status).toBe(303);
  party = { token, browser, caseId, noticeId };
  aimCorpusAt({ world, admin, staff, cameraId, party });
  await aimAreaCorpusAt({ world, admin, staff, cameraId, party });
}, 120_000);
afterAll(() => world.close());

describe('hostile input', () => {
  it('has at least 100 cases over every door', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    const areas = new Set(corpus.map((c) => c.area));
    for (const area of [
      'staff API',
      'pages',
      'portal',
      'payment callbacks',
      'receipts',
      'frames',
      'zones',
      'schedules',
      'camera URLs',
      'complaints',
      'alerts',
      'stats',
      'screen',
      'supervision',
      'credit',
      'case review',
      'field tasks',
      'announcements',
      'cameras',
      'leader',
    ])
      expect(areas).toContain(area);
  });

  it('answers every case with a clear 4xx and stores nothing it should not', async () => {
    const failures: string[] = [];
    for (const c of corpus) {
      const before = await counts();
      let reply: Reply;
      try {
        reply = await c.send();
      } catch (error) {
        failures.push(`${c.area} / ${c.name}: request failed: ${(error as Error).message}`);
        continue;
      }
      const after = await counts();
      const label = `${c.area} / ${c.name}: ${reply.status} ${reply.body.slice(0, 160)}`;
      if (c.status !== undefined ? reply.status !== c.status : reply.status < 400 || reply.status >= 500)
        failures.push(`${label} (wanted ${c.status ?? '4xx'})`);
      const grew = TABLES.filter((t) => !(c.may ?? []).includes(t) && after[t] !== before[t]);
      if (grew.length > 0) failures.push(`${label}: stored rows in ${grew.join(', ')}`);
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
