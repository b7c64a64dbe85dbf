import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTransaction } from '../../src/db/pool.js';
import { dispatchFieldTask } from '../../src/field-tasks/field-task-dispatch.service.js';
import { seedPudong } from '../support/case-fixtures.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';
import { photoJpeg, sendToField, validIdNumber } from './field-fixtures.js';

/** A valid number with its check character changed. */
const wrongCheckDigit = (): string => {
  const valid = validIdNumber();
  return valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1');
};

/**
 * Field tasks (派单) on the real database: the legal review sends a violation without a party to the patrol; the
 * patrol of the district names the party (the case is filed as on a reviewer's choice) or sees it corrected (no
 * penalty). A report for another district's task, one already done, or malformed photos changes nothing.
 */
let ctx: TestContext;
let seed: Awaited<ReturnType<typeof seedPudong>>;
let patrol: TestClient;
let otherPatrol: TestClient;
let reviewerClient: TestClient;
let photo: Buffer;

beforeAll(async () => {
  ctx = await createTestContext();
  seed = await seedPudong(ctx);
  await ctx.pool.query('update cameras set latitude = 31.2304, longitude = 121.5447 where id = $1', [
    seed.cameraId,
  ]);
  await seedDistrict(ctx.pool, 'huangpu');
  await seedStaff(ctx.pool, 'ft-patrol', 'patrol', 'pudong');
  await seedStaff(ctx.pool, 'ft-other', 'patrol', 'huangpu');
  await seedStaff(ctx.pool, 'ft-reviewer', 'evidence_reviewer', 'pudong');
  patrol = await new TestClient(ctx.app).login('ft-patrol', 'a long test password');
  otherPatrol = await new TestClient(ctx.app).login('ft-other', 'a long test password');
  reviewerClient = await new TestClient(ctx.app).login('ft-reviewer', 'a long test password');
  photo = await photoJpeg();
});
afterAll(() => ctx?.close());

const state = async (taskId: string) =>
  (
    await ctx.pool.query(
      `select t.status, t.outcome, t.party_id, t.case_id, t.photos, v.status as violation_status, v.party_id as violation_party,
              (select count(*)::int from parties) as parties,
              (select count(*)::int from cases where violation_id = t.violation_id) as cases,
              (select count(*)::int from audit_log where subject_id = t.id::text and action = 'field_task.report') as reports
         from field_tasks t join violations v on v.id = t.violation_id where t.id = $1`,
      [taskId],
    )
  ).rows[0];

const report = (client: TestClient, taskId: string, body: Record<string, unknown>) =>
  client.request('POST', `/api/field-tasks/${taskId}/report`, {
    photos: [{ name: '现场.jpg', contentBase64: photo.toString('base64') }],
    ...body,
  });

describe('the queue and the task page', () => {
  it("lists the district's open tasks with their deadline, and shows the evidence, place and map link", async () => {
    const { fieldTaskId, violationId } = await sendToField(ctx, seed);
    const v = (await ctx.pool.query('select status from violations where id = $1', [violationId])).rows[0];
    expect(v.status).toBe('awaiting_party');
    const list = await patrol.request('GET', '/api/field-tasks');
    expect(list.statusCode, list.body).toBe(200);
    const item = list.json().tasks.find((t: { id: string }) => t.id === fieldTaskId);
    expect(item).toMatchObject({ reason: 'party_unknown', overdue: false });
    expect(item.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await otherPatrol.request('GET', '/api/field-tasks')).json().tasks).toEqual([]);
    expect((await reviewerClient.request('GET', '/api/field-tasks')).statusCode).toBe(403);

    const queue = await patrol.request('GET', '/staff/field-tasks');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`data-task="${fieldTaskId}"`);
    const page = await patrol.request('GET', `/staff/field-tasks/${fieldTaskId}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toContain('geo:31.230400,121.544700');
    expect(page.body).toMatch(/<img src="\/api\/evidence\/[0-9a-f-]{36}"/);
    expect(page.body).toContain('浦东新区世纪大道');
    const audit = await ctx.pool.query(
      `select action from audit_log where subject_id = $1 and action in ('field_task.view', 'party.search')`,
      [fieldTaskId],
    );
    expect(audit.rows.map((r) => r.action).sort()).toEqual(['field_task.view', 'party.search']);
    expect((await otherPatrol.request('GET', `/staff/field-tasks/${fieldTaskId}`)).statusCode).toBe(403);
  });
});

describe('the patrol names the party', () => {
  it('registers a person found on site and files the case as a reviewer naming the party would', async () => {
    const { fieldTaskId, violationId } = await sendToField(ctx, seed);
    const idNumber = validIdNumber();
    const res = await report(patrol, fieldTaskId, {
      outcome: 'party',
      newParty: {
        kind: 'person',
        name: '李某某',
        idNumber,
        phone: '13900139000',
        address: '浦东新区某路2号',
      },
      note: '摊主在场，出示身份证',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ outcome: 'party', violationStatus: 'approved' });
    expect(body.caseNumber).toMatch(/^沪浦城管非现〔\d{4}〕第\d{6}号$/);
    const after = await state(fieldTaskId);
    expect(after).toMatchObject({
      status: 'done',
      outcome: 'party',
      violation_status: 'approved',
      cases: 1,
      reports: 1,
    });
    expect(after.violation_party).toBe(after.party_id);
    expect(after.photos[0].sha256).toBe(createHash('sha256').update(photo).digest('hex'));
    const filed = (
      await ctx.pool.query('select party_id, status from cases where violation_id = $1', [violationId])
    ).rows[0];
    expect(filed).toMatchObject({ party_id: after.party_id, status: 'filed' });
    const party = (await ctx.pool.query('select id_number from parties where id = $1', [after.party_id]))
      .rows[0];
    expect(party.id_number).toBe(idNumber);
    // The page shows the party masked, never the whole number; the photo is served with its hash.
    const page = await patrol.request('GET', `/staff/field-tasks/${fieldTaskId}`);
    expect(page.body).not.toContain(idNumber);
    expect(page.body).toContain(`${idNumber.slice(0, 4)}••••${idNumber.slice(-4)}`);
    const served = await patrol.request(
      'GET',
      `/staff/field-tasks/${fieldTaskId}/photos/${after.photos[0].sha256}`,
    );
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/jpeg');

    const again = await report(patrol, fieldTaskId, { outcome: 'corrected' });
    expect(again.statusCode).toBe(409);
    expect(await state(fieldTaskId)).toMatchObject({ outcome: 'party', cases: 1, reports: 1 });
  });

  it('takes a party of the register', async () => {
    const { fieldTaskId } = await sendToField(ctx, seed);
    const existing = (
      await ctx.pool.query<{ id: string }>(
        `insert into parties (district_id, kind, name, id_number, address) values ('pudong', 'unit', '王记早餐', null, '浦东新区某路3号') returning id`,
      )
    ).rows[0]!.id;
    const res = await report(patrol, fieldTaskId, { outcome: 'party', partyId: existing });
    expect(res.statusCode, res.body).toBe(200);
    expect(await state(fieldTaskId)).toMatchObject({
      party_id: existing,
      violation_status: 'approved',
      cases: 1,
    });
  });
});

describe('corrected on site', () => {
  it('closes the violation without penalty and files no case', async () => {
    const { fieldTaskId, violationId } = await sendToField(ctx, seed);
    const res = await report(patrol, fieldTaskId, { outcome: 'corrected', note: '摊位已撤离' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await state(fieldTaskId)).toMatchObject({
      status: 'done',
      violation_status: 'corrected',
      cases: 0,
    });
    const v = (await ctx.pool.query('select details from violations where id = $1', [violationId])).rows[0];
    expect(v.details.fieldCorrection).toMatchObject({ outcome: 'corrected', seenBy: 'patrol', fieldTaskId });
    const audit = await ctx.pool.query(
      `select data from audit_log where subject_id = $1 and action = 'violation.corrected'`,
      [violationId],
    );
    expect(audit.rows[0].data).toMatchObject({ penalty: 'none' });
  });
});

describe('refused reports change nothing', () => {
  it('refuses another district, malformed photos and contradicting party choices', async () => {
    const { fieldTaskId } = await sendToField(ctx, seed);
    const before = await state(fieldTaskId);
    const cases: [TestClient, Record<string, unknown>, number][] = [
      [otherPatrol, { outcome: 'corrected' }, 403],
      [reviewerClient, { outcome: 'corrected' }, 403],
      [
        patrol,
        {
          outcome: 'corrected',
          photos: [{ name: 'x.jpg', contentBase64: Buffer.from('MZ not a photo').toString('base64') }],
        },
        400,
      ],
      [
        patrol,
        {
          outcome: 'corrected',
          photos: [{ name: 'x.pdf', contentBase64: Buffer.from('%PDF-1.4 x').toString('base64') }],
        },
        400,
      ],
      [patrol, { outcome: 'corrected', photos: [{ name: 'x.jpg', contentBase64: '***' }] }, 400],
      [patrol, { outcome: 'corrected', photos: [] }, 400],
      [patrol, { outcome: 'party' }, 400],
      [patrol, { outcome: 'party', partyId: '00000000-0000-4000-8000-000000000000' }, 400],
      [
        patrol,
        { outcome: 'party', newParty: { kind: 'person', name: '赵某', idNumber: wrongCheckDigit() } },
        400,
      ],
      [patrol, { outcome: 'corrected', newParty: { kind: 'person', name: '赵某' } }, 400],
      [patrol, { outcome: 'maybe' }, 400],
    ];
    for (const [client, body, status] of cases) {
      const res = await report(client, fieldTaskId, body);
      expect(res.statusCode, `${JSON.stringify(body).slice(0, 80)}: ${res.body}`).toBe(status);
    }
    expect(await state(fieldTaskId)).toEqual(before);
    const unknown = await report(patrol, '00000000-0000-4000-8000-000000000000', { outcome: 'corrected' });
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a malformed multipart form on the page with a 4xx', async () => {
    const { fieldTaskId } = await sendToField(ctx, seed);
    const before = await state(fieldTaskId);
    const res = await patrol.request('POST', `/staff/field-tasks/${fieldTaskId}/report`, '--x\r\nbroken', {
      'content-type': 'multipart/form-data; boundary=x',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(await state(fieldTaskId)).toEqual(before);
  });
});

describe('a warning that reached no one', () => {
  it('the patrol sees the scene corrected: the violation closes and leaves the review queue', async () => {
    const { violationId, taskId: reviewTaskId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      partyId: null,
      stage: 'legal',
    });
    const fieldTaskId = await withTransaction(ctx.pool, (tx) =>
      dispatchFieldTask(tx, {
        violationId,
        districtId: 'pudong',
        reason: 'unreachable',
        requestedBy: { kind: 'system', id: 'evidence-stage' },
      }),
    );
    expect(fieldTaskId).not.toBeNull();
    const res = await report(patrol, fieldTaskId!, { outcome: 'corrected' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await state(fieldTaskId!)).toMatchObject({ violation_status: 'corrected', cases: 0 });
    const review = (await ctx.pool.query('select status from review_tasks where id = $1', [reviewTaskId]))
      .rows[0];
    expect(review.status).toBe('cancelled');
  });

  it('refuses a report once the violation was decided otherwise', async () => {
    const { violationId } = await seedViolationForReview(ctx.pool, ctx.blobs, {
      districtId: 'pudong',
      cameraId: seed.cameraId,
      partyId: null,
      stage: 'legal',
    });
    const fieldTaskId = await withTransaction(ctx.pool, (tx) =>
      dispatchFieldTask(tx, {
        violationId,
        districtId: 'pudong',
        reason: 'unreachable',
        requestedBy: { kind: 'system', id: 'evidence-stage' },
      }),
    );
    await ctx.pool.query(`update violations set status = 'rejected' where id = $1`, [violationId]);
    const res = await report(patrol, fieldTaskId!, { outcome: 'corrected' });
    expect(res.statusCode).toBe(409);
    expect(await state(fieldTaskId!)).toMatchObject({ status: 'open', violation_status: 'rejected' });
  });
});
