import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushAuditOutbox } from '../../src/audit/audit.repo.js';
import { mintToken } from '../../src/notices/portal-token.js';
import { seedViolationForReview } from '../support/seed-violations.js';
import { seedStaff, TestClient } from '../support/test-app.js';
import { seedCaseParty } from '../support/case-fixtures.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld({ PORTAL_VERIFY_LIMIT_PER_TOKEN: '3' });
});
afterAll(() => world.close());

const state = async (caseId: string) =>
  (await world.ctx.pool.query('select status, snapshot from cases where id = $1', [caseId])).rows[0];

describe('opening a notice', () => {
  it('answers an unknown link and a wrong second factor the same way, and takes the same minimum time', async () => {
    const { token } = await caseWithLink(world);
    const unknown = mintToken().token;
    const browser = new PartyBrowser(world.baseUrl);
    const t0 = Date.now();
    const wrong = await browser.verify(token, '0000');
    const t1 = Date.now();
    const missing = await browser.verify(unknown, '0000');
    const t2 = Date.now();
    expect(wrong.status).toBe(403);
    expect(missing.status).toBe(403);
    const normalise = (text: string, t: string) => text.replaceAll(t, 'TOKEN');
    expect(normalise(await wrong.text(), token)).toBe(normalise(await missing.text(), unknown));
    expect(t1 - t0).toBeGreaterThanOrEqual(60);
    expect(t2 - t1).toBeGreaterThanOrEqual(60);
    // An unknown link shows the same form as a real one.
    const formReal = await new PartyBrowser(world.baseUrl).get(`/n/${token}`);
    const formUnknown = await new PartyBrowser(world.baseUrl).get(`/n/${unknown}`);
    expect(normalise(await formReal.text(), token)).toBe(normalise(await formUnknown.text(), unknown));
  });

  it('limits wrong second factors per link, then refuses even the right one', async () => {
    const { token } = await caseWithLink(world);
    const browser = new PartyBrowser(world.baseUrl);
    for (let i = 0; i < 3; i++) expect((await browser.verify(token, `99${i}9`)).status).toBe(403);
    const limited = await browser.verify(token, '8000');
    expect(limited.status).toBe(429);
    expect(browser.hasSession()).toBe(false);
    const unknown = mintToken().token;
    for (let i = 0; i < 3; i++) await browser.verify(unknown, '1234');
    expect((await browser.verify(unknown, '1234')).status).toBe(429);
  });

  it('opens with the last 6 characters of the ID number into a session scoped to the link, and shows the notice and its evidence', async () => {
    const { token, caseId, idNumber } = await caseWithLink(world);
    const browser = new PartyBrowser(world.baseUrl);
    const ok = await browser.verify(token, idNumber.slice(-6));
    expect(ok.status).toBe(303);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('psid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toContain(`Path=/n/${token}`);
    const page = await browser.get(`/n/${token}`);
    const html = await page.text();
    const c = await state(caseId);
    const number = (await world.ctx.pool.query('select case_number from cases where id = $1', [caseId]))
      .rows[0].case_number;
    expect(html).toContain(number);
    expect(html).toContain('data-seal="valid"');
    const evidenceIds = [...html.matchAll(/data-evidence-id="([0-9a-f-]{36})"/g)].map((m) => m[1]!);
    expect(evidenceIds.length).toBe(2);
    const image = await browser.get(`/n/${token}/evidence/${evidenceIds[0]}`);
    expect(image.status).toBe(200);
    expect((await sharp(Buffer.from(await image.arrayBuffer())).metadata()).format).toBe('jpeg');
    const original = await browser.get(`/n/${token}/evidence/${evidenceIds[0]}?original=1`);
    expect(hashHex(Buffer.from(await original.arrayBuffer()))).toBe(original.headers.get('x-content-sha256'));
    expect(c.status).toBe('advance_notice_sent');
    // Without the session, or with another link's session, nothing is served.
    const stranger = await new PartyBrowser(world.baseUrl).get(`/n/${token}/evidence/${evidenceIds[0]}`);
    expect(stranger.status).toBe(303);
    const other = await caseWithLink(world);
    const otherBrowser = new PartyBrowser(world.baseUrl);
    await otherBrowser.verify(other.token, '8000');
    expect((await otherBrowser.get(`/n/${token}/evidence/${evidenceIds[0]}`)).status).toBe(303);
    expect((await otherBrowser.get(`/n/${other.token}/evidence/${evidenceIds[0]}`)).status).toBe(404);
  });
});

describe('the party acts on the notice', () => {
  it('acknowledges receipt, which starts the statement window; the step is on the case and in the audit log', async () => {
    const { token, caseId } = await caseWithLink(world);
    const browser = new PartyBrowser(world.baseUrl);
    await browser.verify(token, '8000');
    const noticeId = (await world.ctx.pool.query(`select id from notices where case_id = $1`, [caseId]))
      .rows[0].id;
    const ack = await browser.post(`/n/${token}/acknowledge`, { noticeId });
    expect(ack.status).toBe(303);
    expect(await (await browser.get(`/n/${token}`)).text()).toContain('data-acknowledged="true"');
    const c = await state(caseId);
    expect(c.status).toBe('statement_window');
    expect(c.snapshot.deadlines.statement).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Views wait in the audit outbox until the next fold (a later audited step or the API's timer).
    await flushAuditOutbox(world.ctx.pool);
    const audit = await world.ctx.pool.query(
      `select action from audit_log where actor_kind = 'party' and (subject_id = $1 or subject_id = $2) order by id`,
      [caseId, noticeId],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'portal.open',
        'portal.view',
        'case.advance_notice_received',
        'portal.acknowledge',
      ]),
    );
    const again = await browser.post(`/n/${token}/acknowledge`, { noticeId });
    expect(again.status).toBe(409);
    // A refused step is the portal's error page, in the party's language, with the way back to the link.
    const refusal = await again.text();
    expect(refusal).toContain('<body class="portal">');
    expect(refusal).toContain('id="portal-message"');
    expect(refusal).toContain(`href="/n/${token}"`);
    expect(refusal).toContain('<html lang="zh-CN">');
    // A cross-site form post is refused.
    const cross = await browser.request('POST', `/n/${token}/waive`, new URLSearchParams({}), {
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
    expect((await state(caseId)).status).toBe('statement_window');
  });

  it('takes a statement with JPEG and PDF attachments checked by their bytes, and the district legal reviewers get it', async () => {
    const { token, caseId } = await caseWithLink(world);
    const browser = new PartyBrowser(world.baseUrl);
    await browser.verify(token, '8000');
    const noticeId = (await world.ctx.pool.query(`select id from notices where case_id = $1`, [caseId]))
      .rows[0].id;
    await browser.post(`/n/${token}/acknowledge`, { noticeId });

    const disguised = new FormData();
    disguised.set('body', '我没有摆摊');
    disguised.append('files', new Blob([Buffer.from('#!/bin/sh\necho hi')]), 'photo.jpg');
    const refused = await browser.post(`/n/${token}/statement`, disguised);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('not a JPEG, PNG or PDF');

    const big = new FormData();
    big.set('body', 'too big');
    big.append('files', new Blob([Buffer.alloc(5 * 1024 * 1024 + 10, 0xff)]), 'big.jpg');
    expect((await browser.post(`/n/${token}/statement`, big)).status).toBe(413);
    expect(
      (await world.ctx.pool.query('select count(*)::int as n from statements where case_id = $1', [caseId]))
        .rows[0].n,
    ).toBe(0);

    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.set('body', '当时我只是临时停放货物，已在五分钟内清理。');
    form.append('files', new Blob([jpeg]), 'photo.jpg');
    form.append('files', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '../../收据.pdf');
    const ok = await browser.post(`/n/${token}/statement`, form);
    expect(ok.status).toBe(303);
    expect((await state(caseId)).status).toBe('statement_review');
    const stored = (
      await world.ctx.pool.query('select attachments from statements where case_id = $1', [caseId])
    ).rows[0].attachments;
    expect(stored.map((a: { name: string; contentType: string }) => [a.name, a.contentType])).toEqual([
      ['photo.jpg', 'image/jpeg'],
      ['收据.pdf', 'application/pdf'],
    ]);
    expect(await world.ctx.blobs.get(stored[0].key)).toEqual(jpeg);

    await seedStaff(world.ctx.pool, 'pd-legal-st', 'legal_reviewer', 'pudong');
    await world.ctx.pool.query(
      `insert into districts (id, name, case_prefix) values ('huangpu', '黄浦区', 'HP') on conflict do nothing`,
    );
    await seedStaff(world.ctx.pool, 'hp-legal-st', 'legal_reviewer', 'huangpu');
    const pudong = await new TestClient(world.ctx.app).login('pd-legal-st', 'a long test password');
    const huangpu = await new TestClient(world.ctx.app).login('hp-legal-st', 'a long test password');
    const seen = (await pudong.request('GET', '/api/statements/pending')).json().statements;
    expect(seen.map((s: { case_id: string }) => s.case_id)).toContain(caseId);
    const notSeen = (await huangpu.request('GET', '/api/statements/pending')).json().statements;
    expect(notSeen.map((s: { case_id: string }) => s.case_id)).not.toContain(caseId);

    // A review may lower the fine but never raise it.
    const proposed = (await state(caseId)).snapshot.proposedFineFen;
    const raise = await pudong.request('POST', `/api/cases/${caseId}/statement-review`, {
      outcome: 'partly_accept',
      revisedFineFen: proposed + 100,
      reasons: ['情节较重'],
    });
    expect(raise.statusCode).toBe(400);
    expect((await state(caseId)).status).toBe('statement_review');
    expect(
      (
        await huangpu.request('POST', `/api/cases/${caseId}/statement-review`, {
          outcome: 'reject',
          reasons: ['x'],
        })
      ).statusCode,
    ).toBe(403);
    const lower = await pudong.request('POST', `/api/cases/${caseId}/statement-review`, {
      outcome: 'partly_accept',
      revisedFineFen: 5_000,
      reasons: ['当事人及时清理，危害较小'],
    });
    expect(lower.statusCode).toBe(200);
    expect(lower.json()).toEqual({ state: 'statement_review', conclusion: 'approved', fineFen: 5_000 });
    // The agency head decides, and only once the party's periods ended or were waived in writing.
    await seedStaff(world.ctx.pool, 'pd-head-st', 'agency_head', 'pudong');
    const head = await new TestClient(world.ctx.app).login('pd-head-st', 'a long test password');
    expect((await head.request('POST', `/api/cases/${caseId}/decide`, {})).statusCode).toBe(409);
    expect(
      (
        await pudong.request('POST', `/api/cases/${caseId}/waiver`, {
          reference: '放弃陈述申辩声明书 浦城管〔2026〕3号',
        })
      ).statusCode,
    ).toBe(200);
    const decided = await head.request('POST', `/api/cases/${caseId}/decide`, {});
    expect(decided.json()).toEqual({ state: 'decided', fineFen: 5_000 });
    const reviewed = (
      await world.ctx.pool.query('select review_status, outcome from statements where case_id = $1', [caseId])
    ).rows[0];
    expect(reviewed.review_status).toBe('partly_accepted');
    const detail = (await pudong.request('GET', `/api/cases/${caseId}`)).json();
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual([
      'filed',
      'send_advance_notice',
      'advance_notice_received',
      'statement_submitted',
      'legal_review',
      'rights_waived',
      'decide',
    ]);
  });

  it('lets a party facing a large fine ask for a hearing', async () => {
    const { token, caseId } = await caseWithLink(world, {}, 'construction_waste');
    const browser = new PartyBrowser(world.baseUrl);
    await browser.verify(token, '8000');
    const noticeId = (await world.ctx.pool.query(`select id from notices where case_id = $1`, [caseId]))
      .rows[0].id;
    await browser.post(`/n/${token}/acknowledge`, { noticeId });
    expect((await state(caseId)).snapshot.hearingRight).toBe(true);
    expect(await (await browser.get(`/n/${token}`)).text()).toContain('id="request-hearing"');
    expect((await browser.post(`/n/${token}/hearing`, {})).status).toBe(303);
    expect((await state(caseId)).status).toBe('hearing_requested');
    expect(
      (await world.ctx.pool.query('select status from hearings where case_id = $1', [caseId])).rows,
    ).toEqual([{ status: 'requested' }]);
  });
});

describe('a warning notice (warn first)', () => {
  it('is delivered by the same job and opens on the portal with its evidence, without a case', async () => {
    const party = await seedCaseParty(world.ctx);
    const { violationId } = await seedViolationForReview(world.ctx.pool, world.ctx.blobs, {
      districtId: 'pudong',
      cameraId: world.seed.cameraId,
      partyId: party.id,
    });
    // The warn-first stage writes only these rows and a deliver job per delivery.
    const notice = (
      await world.ctx.pool.query(
        `insert into notices (violation_id, party_id, kind) values ($1, $2, 'warning') returning id`,
        [violationId, party.id],
      )
    ).rows[0].id;
    const delivery = (
      await world.ctx.pool.query(
        `insert into deliveries (notice_id, channel) values ($1, 'sms') returning id`,
        [notice],
      )
    ).rows[0].id;
    expect(await world.services.delivery.deliver(delivery, { number: 1, max: 1 })).toBe('sent');
    const message = world.gateway.messages.at(-1)!;
    expect(message.text).toContain('请立即改正');
    const token = world.gateway.lastLink().split('/n/')[1]!;
    const browser = new PartyBrowser(world.baseUrl);
    expect((await browser.verify(token, '8000')).status).toBe(303);
    const page = await (await browser.get(`/n/${token}`)).text();
    expect(page).toContain('劝阻告知');
    expect([...page.matchAll(/data-evidence-id=/g)]).toHaveLength(2);
    expect((await browser.post(`/n/${token}/acknowledge`, { noticeId: notice })).status).toBe(303);
    expect(
      (await world.ctx.pool.query('select acknowledged_at from notices where id = $1', [notice])).rows[0]
        .acknowledged_at,
    ).not.toBeNull();
    const form = new FormData();
    form.set('body', '已改正');
    expect((await browser.post(`/n/${token}/statement`, form)).status).toBe(403);
    expect((await browser.post(`/n/${token}/statement`, { body: 'x' })).status).toBe(415);
  });
});

function hashHex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
