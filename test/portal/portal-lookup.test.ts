import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushAuditOutbox } from '../../src/audit/audit.repo.js';
import { fileCase, seedCaseParty } from '../support/case-fixtures.js';
import { caseWithLink, PartyBrowser, startPortalWorld, type PortalWorld } from '../support/portal-client.js';

/**
 * The QR code and the short case link: the party types the case number and the second factor and then acts
 * exactly as from the SMS link. Each test comes from an address of its own (X-Forwarded-For behind the trusted
 * proxy), so the per-address limit of one does not touch the others.
 */

let world: PortalWorld;

beforeAll(async () => {
  world = await startPortalWorld({
    PORTAL_VERIFY_LIMIT_PER_TOKEN: '3',
    PORTAL_VERIFY_LIMIT_PER_ADDRESS: '8',
    TRUST_PROXY: 'true',
  });
});
afterAll(() => world.close());

const numberOf = async (caseId: string) =>
  (await world.ctx.pool.query('select case_number from cases where id = $1', [caseId])).rows[0]
    .case_number as string;

class Visitor extends PartyBrowser {
  constructor(private readonly address: string) {
    super(world.baseUrl);
  }
  lookup(caseNumber: string, factor: string) {
    return this.request('POST', '/portal/cases', new URLSearchParams({ caseNumber, factor }), {
      'x-forwarded-for': this.address,
    });
  }
  open(path: string) {
    return this.request('GET', path, undefined, { 'x-forwarded-for': this.address });
  }
}

describe('opening a case by its number', () => {
  it('the QR page shows the printed number in a form; the right factor opens a session on a link of its own, and the party acts as from the SMS', async () => {
    const { caseId } = await caseWithLink(world);
    const number = await numberOf(caseId);
    const ascii = (
      await world.ctx.pool.query(
        `select 'SH-' || d.case_prefix || '-' || c.year || '-' || lpad(c.seq::text, 6, '0') as n
           from cases c join districts d on d.id = c.district_id where c.id = $1`,
        [caseId],
      )
    ).rows[0].n as string;
    const party = new Visitor('10.1.0.1');
    const form = await party.open(`/portal/cases/${ascii}`);
    expect(form.status).toBe(200);
    const page = await form.text();
    expect(page).toContain('<html lang="zh-CN">');
    expect(page).toContain(`value="${number}"`);
    expect(page).not.toContain(caseId);
    expect(await (await party.open('/portal/cases?lang=en')).text()).toContain('Find and open');

    const ok = await party.lookup(number, '8000');
    expect(ok.status).toBe(303);
    const token = /^\/n\/([A-Za-z0-9_-]{43})$/.exec(ok.headers.get('location') ?? '')?.[1];
    expect(token).toBeDefined();
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('psid='))!;
    expect(cookie).toContain(`Path=/n/${token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    const notice = await party.open(`/n/${token}`);
    expect(await notice.text()).toContain(number);

    const noticeId = (await world.ctx.pool.query('select id from notices where case_id = $1', [caseId]))
      .rows[0].id;
    expect((await party.post(`/n/${token}/acknowledge`, { noticeId })).status).toBe(303);
    const row = (await world.ctx.pool.query('select status from cases where id = $1', [caseId])).rows[0];
    expect(row.status).toBe('statement_window');
    await flushAuditOutbox(world.ctx.pool);
    const opened = await world.ctx.pool.query(
      `select data from audit_log where action = 'portal.open' and subject_id = $1 and data->>'via' = 'case_number'`,
      [noticeId],
    );
    expect(opened.rows.length).toBe(1);
    // The link is the party's own: another browser without the session is sent to the factor form.
    expect((await new Visitor('10.1.0.1').open(`/n/${token}/receipt.json`)).status).toBe(303);
  });

  it('opens for a postal recipient with no phone by the last 6 characters of the ID number, typed loosely', async () => {
    const { id, idNumber } = await seedCaseParty(world.ctx, { consent: false, phone: null });
    const caseId = await fileCase(world.ctx, world.seed, id);
    await world.services.notices.issue(caseId, 'advance_notice');
    const number = await numberOf(caseId);
    const typed = number.replace('〔', '[').replace('〕', ']');
    const ok = await new Visitor('10.1.0.2').lookup(typed, idNumber.slice(-6).toLowerCase());
    expect(ok.status).toBe(303);
  });

  it('answers an unknown number, a malformed one and a wrong factor the same way, in the same minimum time', async () => {
    const { caseId } = await caseWithLink(world);
    const number = await numberOf(caseId);
    const unknown = number.replace(/第\d{6}号/, '第999999号');
    const visitor = new Visitor('10.1.0.3');
    const answers = [];
    for (const [n, f] of [
      [number, '0000'],
      [unknown, '0000'],
      ['not a number', '0000'],
    ] as const) {
      const t0 = Date.now();
      const r = await visitor.lookup(n, f);
      const took = Date.now() - t0;
      answers.push({ status: r.status, body: (await r.text()).replace(`value="${n}"`, 'value="N"'), took });
    }
    for (const a of answers) {
      expect(a.status).toBe(403);
      expect(a.body).toBe(answers[0]!.body);
      expect(a.took).toBeGreaterThanOrEqual(60);
    }
    expect(answers[0]!.body).toContain('案件编号或验证信息不正确');
    expect(visitor.hasSession()).toBe(false);
    expect(
      (await world.ctx.pool.query('select count(*)::int as n from portal_tokens where delivery_id is null'))
        .rows[0].n,
    ).toBe(2);
  });

  it('limits wrong factors per case, then refuses even the right one; an unknown number is limited alike', async () => {
    const { caseId } = await caseWithLink(world);
    const number = await numberOf(caseId);
    const visitor = new Visitor('10.1.0.4');
    for (let i = 0; i < 3; i++) expect((await visitor.lookup(number, `99${i}9`)).status).toBe(403);
    // Another form of the same number counts against the same case.
    const limited = await new Visitor('10.1.0.5').lookup(number.replace('〔', '('), '8000');
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('尝试次数过多');
    const unknown = number.replace(/第\d{6}号/, '第888888号');
    const other = new Visitor('10.1.0.6');
    for (let i = 0; i < 3; i++) expect((await other.lookup(unknown, '1234')).status).toBe(403);
    expect((await other.lookup(unknown, '1234')).status).toBe(429);
  });

  it('limits tries per address, shared with the SMS links', async () => {
    const { caseId, token } = await caseWithLink(world);
    const number = await numberOf(caseId);
    const visitor = new Visitor('10.1.0.7');
    for (let i = 0; i < 8; i++)
      expect((await visitor.lookup(number.replace(/第\d{6}号/, `第00${i}777号`), '1234')).status).toBe(403);
    expect((await visitor.lookup(number, '8000')).status).toBe(429);
    const link = await visitor.request(
      'POST',
      `/n/${token}/verify`,
      new URLSearchParams({ factor: '8000' }),
      {
        'x-forwarded-for': '10.1.0.7',
      },
    );
    expect(link.status).toBe(429);
    expect((await new Visitor('10.1.0.8').lookup(number, '8000')).status).toBe(303);
  });

  it('refuses a cross-site form post', async () => {
    const r = await new Visitor('10.1.0.9').request(
      'POST',
      '/portal/cases',
      new URLSearchParams({ caseNumber: 'SH-PD-2026-000001', factor: '8000' }),
      { origin: 'https://evil.example', 'x-forwarded-for': '10.1.0.9' },
    );
    expect(r.status).toBe(403);
  });
});
