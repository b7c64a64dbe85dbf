import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';
import { seedDistrict, seedStaff, TestClient } from '../support/test-app.js';

/**
 * The staff case page links every file of the case, and each link opens only for staff who may act in the
 * case's district, with a safe type, and an audit row per opening.
 */

let world: PortalWorld;
let pudong: TestClient;
let huangpu: TestClient;
let admin: TestClient;
let pudongId: string;
let caseId: string;
let statementId: string;
let jpeg: Buffer;

const audits = async (action: string, subjectId: string) =>
  (
    await world.ctx.pool.query(
      'select actor_kind, actor_id, district_id, data from audit_log where action = $1 and subject_id = $2 order by id',
      [action, subjectId],
    )
  ).rows;

beforeAll(async () => {
  world = await startPortalWorld();
  await seedDistrict(world.ctx.pool, 'huangpu', '黄浦区');
  const p = await seedStaff(world.ctx.pool, 'files-pd', 'district_staff', 'pudong');
  const h = await seedStaff(world.ctx.pool, 'files-hp', 'legal_reviewer', 'huangpu');
  const a = await seedStaff(world.ctx.pool, 'files-admin', 'admin', null);
  pudongId = p.id;
  pudong = await new TestClient(world.ctx.app).login(p.username, p.password);
  huangpu = await new TestClient(world.ctx.app).login(h.username, h.password);
  admin = await new TestClient(world.ctx.app).login(a.username, a.password);

  const link = await caseWithLink(world);
  caseId = link.caseId;
  const party = new PartyBrowser(world.baseUrl);
  expect((await party.verify(link.token, '8000')).status).toBe(303);
  const noticeId = (await world.ctx.pool.query('select id from notices where case_id = $1', [caseId])).rows[0]
    .id;
  expect((await party.post(`/n/${link.token}/acknowledge`, { noticeId })).status).toBe(303);
  jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.set('body', '货物已在五分钟内清理。');
  form.append('files', new Blob([jpeg]), 'photo.jpg');
  form.append('files', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')]), '收据 1.pdf');
  expect((await party.post(`/n/${link.token}/statement`, form)).status).toBe(303);
  statementId = (await world.ctx.pool.query('select id from statements where case_id = $1', [caseId])).rows[0]
    .id;
}, 120_000);
afterAll(() => world.close());

describe('the staff case page links every file', () => {
  it('lists the documents (PDF and HTML), evidence items, attachments and a receipt once paid', async () => {
    const orderId = `PAYFILES${Date.now()}`;
    const paymentId = (
      await world.ctx.pool.query(
        `insert into payments (case_id, amount_fen, fine_fen, gateway, gateway_order_id, status, paid_at, receipt)
         values ($1, 5000, 5000, 'sandbox', $2, 'paid', now(), $3) returning id`,
        [caseId, orderId, JSON.stringify({ text: '{"type":"罚没款电子缴款凭证"}', seal: {} })],
      )
    ).rows[0].id;
    try {
      const page = await pudong.request('GET', `/staff/cases/${caseId}`);
      expect(page.statusCode).toBe(200);
      const html = page.body;
      const notice = (
        await world.ctx.pool.query(`select id from notices where case_id = $1 and kind = 'advance_notice'`, [
          caseId,
        ])
      ).rows[0].id;
      expect(html).toContain(`href="/staff/cases/${caseId}/documents/${notice}.pdf"`);
      expect(html).toContain(`href="/staff/cases/${caseId}/documents/${notice}.html"`);
      const evidence = (
        await world.ctx.pool.query(
          'select e.id from evidence_items e join cases c on c.violation_id = e.violation_id where c.id = $1',
          [caseId],
        )
      ).rows;
      expect(evidence.length).toBeGreaterThan(0);
      for (const e of evidence) expect(html).toContain(`href="/api/evidence/${e.id}"`);
      expect(html).toContain(`href="/staff/cases/${caseId}/statements/${statementId}/attachments/0"`);
      expect(html).toContain(`href="/staff/cases/${caseId}/statements/${statementId}/attachments/1"`);
      expect(html).toContain(`href="/staff/cases/${caseId}/receipts/${paymentId}"`);

      const receipt = await pudong.request('GET', `/staff/cases/${caseId}/receipts/${paymentId}`);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.headers['content-disposition']).toBe(`attachment; filename="receipt-${orderId}.json"`);
      expect(receipt.body).toBe('{"type":"罚没款电子缴款凭证"}');
      expect((await audits('payment.receipt_view', paymentId)).length).toBe(1);
      expect((await huangpu.request('GET', `/staff/cases/${caseId}/receipts/${paymentId}`)).statusCode).toBe(
        403,
      );
    } finally {
      await world.ctx.pool.query('delete from payments where id = $1', [paymentId]);
    }
  });

  it('serves the sealed PDF and its HTML to district staff, logged, and refuses another district', async () => {
    const notice = (
      await world.ctx.pool.query('select id, document_sha256 from notices where case_id = $1', [caseId])
    ).rows[0];
    const pdf = await pudong.request('GET', `/staff/cases/${caseId}/documents/${notice.id}.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const page = await pudong.request('GET', `/staff/cases/${caseId}/documents/${notice.id}.html`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('行政处罚事先告知书');
    const logged = await audits('case.document_view', notice.id);
    expect(logged.map((r) => [r.actor_id, r.data.format])).toEqual([
      [pudongId, 'pdf'],
      [pudongId, 'html'],
    ]);
    const refused = await huangpu.request('GET', `/staff/cases/${caseId}/documents/${notice.id}.pdf`);
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('text/html');
    expect((await audits('case.document_view', notice.id)).length).toBe(2);
    expect((await pudong.request('GET', `/staff/cases/${caseId}/documents/${caseId}.pdf`)).statusCode).toBe(
      404,
    );
  });
});

describe('statement attachments', () => {
  const url = (index: number, statement = statementId, c = caseId) =>
    `/staff/cases/${c}/statements/${statement}/attachments/${index}`;

  it('are a download typed by their bytes, with a safe name, nosniff and an audit row per opening', async () => {
    const image = await pudong.request('GET', url(0));
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(image.headers['content-disposition']).toBe(
      `attachment; filename="photo.jpg"; filename*=UTF-8''photo.jpg`,
    );
    expect(image.headers['x-content-type-options']).toBe('nosniff');
    expect(image.rawPayload.equals(jpeg)).toBe(true);
    const pdf = await pudong.request('GET', url(1));
    expect(pdf.headers['content-type']).toBe('application/pdf');
    // The Chinese name travels percent-encoded; the plain name is ASCII only.
    expect(pdf.headers['content-disposition']).toBe(
      `attachment; filename="__ 1.pdf"; filename*=UTF-8''${encodeURIComponent('收据 1.pdf')}`,
    );
    const rows = await audits('statement.attachment_view', statementId);
    expect(rows.map((r) => [r.actor_kind, r.actor_id, r.district_id, r.data.index])).toEqual([
      ['staff', pudongId, 'pudong', 0],
      ['staff', pudongId, 'pudong', 1],
    ]);
    // An admin may open it too.
    expect((await admin.request('GET', url(0))).statusCode).toBe(200);
  });

  it('serves bytes it does not recognise as opaque data, never as a page', async () => {
    const key = `statements/${caseId}/hostile.html`;
    await world.ctx.blobs.put(key, Buffer.from('<script>alert(1)</script>'));
    const { rows } = await world.ctx.pool.query(
      `insert into statements (case_id, body, attachments) values ($1, 'x', $2) returning id`,
      [
        caseId,
        JSON.stringify([
          { name: 'evil.html', contentType: 'image/jpeg', size: 25, sha256: 'a'.repeat(64), key },
        ]),
      ],
    );
    try {
      const r = await pudong.request('GET', url(0, rows[0].id));
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/octet-stream');
      expect(r.headers['content-disposition']).toMatch(/^attachment; filename="evil\.html\.bin"/);
      expect(r.headers['content-security-policy']).toContain('sandbox');
    } finally {
      await world.ctx.pool.query('delete from statements where id = $1', [rows[0].id]);
    }
  });

  it('are refused to another district, to the signed out, and under another case or index', async () => {
    const before = (await audits('statement.attachment_view', statementId)).length;
    const other = await huangpu.request('GET', url(0));
    expect(other.statusCode).toBe(403);
    expect(other.body).not.toContain('photo.jpg');
    const signedOut = await new TestClient(world.ctx.app).request('GET', url(0));
    expect(signedOut.statusCode).toBe(302);
    expect(signedOut.headers.location).toMatch(/^\/login\?next=/);
    expect((await pudong.request('GET', url(2))).statusCode).toBe(404);
    const another = await caseWithLink(world);
    expect((await pudong.request('GET', url(0, statementId, another.caseId))).statusCode).toBe(404);
    expect((await pudong.request('GET', url(-1))).statusCode).toBe(400);
    expect((await audits('statement.attachment_view', statementId)).length).toBe(before);
  });
});

describe('evidence items', () => {
  it('open for the district through one service that logs each opening', async () => {
    const id = (
      await world.ctx.pool.query(
        `select e.id from evidence_items e join cases c on c.violation_id = e.violation_id where c.id = $1 and e.kind = 'original' limit 1`,
        [caseId],
      )
    ).rows[0].id;
    const r = await pudong.request('GET', `/api/evidence/${id}`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect((await huangpu.request('GET', `/api/evidence/${id}`)).statusCode).toBe(403);
    expect((await audits('evidence.view', id)).map((row) => row.actor_id)).toEqual([pudongId]);
  });

  it('give the workbench a smaller copy, made once and kept, logged like the original', async () => {
    const item = (
      await world.ctx.pool.query<{ id: string; sha256: string }>(
        `select e.id, e.sha256 from evidence_items e join cases c on c.violation_id = e.violation_id
          where c.id = $1 and e.content_type like 'image/%' order by e.kind desc limit 1`,
        [caseId],
      )
    ).rows[0]!;
    const viewsBefore = (await audits('evidence.view', item.id)).length;
    const [first, second] = await Promise.all([
      pudong.request('GET', `/api/evidence/${item.id}?size=view`),
      pudong.request('GET', `/api/evidence/${item.id}?size=view`),
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/jpeg');
    expect(first.headers['x-original-sha256']).toBe(item.sha256);
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
    const meta = await sharp(first.rawPayload).metadata();
    expect(meta.width).toBeLessThanOrEqual(960);
    // the copy is in the store under the original's hash, so later requests read it instead of resizing again
    const stored = await world.ctx.blobs.get(`thumbnails/review-960/${item.sha256}.jpg`);
    expect(stored.equals(first.rawPayload)).toBe(true);
    expect((await audits('evidence.view', item.id)).length).toBe(viewsBefore + 2);
    expect((await huangpu.request('GET', `/api/evidence/${item.id}?size=view`)).statusCode).toBe(403);
    expect((await pudong.request('GET', `/api/evidence/${item.id}?size=huge`)).statusCode).toBe(400);
  });
});
