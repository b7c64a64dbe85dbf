import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

/**
 * Errors in the browser are pages in Chinese with a way back; the API and other clients keep JSON. One not-found
 * handler decides by the request: a page asked for by a browser, or anything else.
 */
let ctx: TestContext;
let staff: TestClient;
const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedStaff(ctx.pool, 'pd_staff', 'district_staff', 'pudong');
  await seedStaff(ctx.pool, 'reviewer', 'evidence_reviewer', 'pudong');
  staff = await new TestClient(ctx.app).login('pd_staff', 'a long test password');
});
afterAll(() => ctx?.close());

describe('error pages for browsers, JSON for the API', () => {
  it('an unknown URL asked for by a browser is the 404 page in Chinese with a way home', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/no/such/page', headers: { accept: HTML } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html lang="zh-CN"');
    expect(res.body).toContain('页面不存在');
    expect(res.body).toContain('data-error-code="not_found"');
    expect(res.body).toMatch(/<a id="error-home" href="\/">/);
  });

  it('signed-in staff are sent back to their work from a 404 page', async () => {
    const res = await staff.request('GET', '/staff/nothing-here', undefined, { accept: HTML });
    expect(res.statusCode).toBe(404);
    expect(res.body).toMatch(/<a id="error-home" href="\/staff">/);
    expect(res.body).toContain('pd_staff');
  });

  it('the API and clients that do not ask for HTML keep the JSON 404', async () => {
    const api = await ctx.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { accept: HTML } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ error: 'not_found' });
    const plain = await ctx.app.inject({ method: 'GET', url: '/no/such/page' });
    expect(plain.statusCode).toBe(404);
    expect(plain.json()).toMatchObject({ error: 'not_found', message: 'no route for GET /no/such/page' });
    const post = await ctx.app.inject({ method: 'POST', url: '/no/such/page', headers: { accept: HTML } });
    expect(post.json()).toMatchObject({ error: 'not_found' });
  });

  it('a malformed link on a page says the link is not valid, not the schema message, with a way back', async () => {
    const res = await staff.request('GET', '/staff/cases/not-a-uuid', undefined, { accept: HTML });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('链接无效');
    expect(res.body).not.toContain('must match format');
    expect(res.body).toMatch(/<a id="error-home" href="\/staff">/);
    // the JSON API keeps the schema's message for programmers
    const api = await staff.request('GET', '/api/cases/not-a-uuid');
    expect(api.statusCode).toBe(400);
    expect(api.json().message).toMatch(/must match format "uuid"/);
    // and gives the pages' scripts the words in the reader's language beside it
    expect(api.json().text).toBe('输入不符合要求：id 格式不正确');
    const missing = await staff.request('GET', '/api/cases/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: 'case not found', text: '案件不存在' });
  });

  it('error pages speak the reader’s language: English for staff who chose it', async () => {
    await seedStaff(ctx.pool, 'en_staff', 'district_staff', 'pudong');
    const english = await new TestClient(ctx.app).login('en_staff', 'a long test password');
    expect((await english.request('POST', '/auth/lang', { lang: 'en' })).statusCode).toBe(204);
    const res = await english.request('GET', '/staff/cases/not-a-uuid', undefined, { accept: HTML });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<html lang="en"');
    expect(res.body).toContain('The link is not valid');
    expect(res.body).toContain('Back to my work');
    const missing = await english.request('GET', '/staff/nothing-here', undefined, { accept: HTML });
    expect(missing.body).toContain('There is no such page');
  });

  it('a 403 page has a way back', async () => {
    const reviewer = await new TestClient(ctx.app).login('reviewer', 'a long test password');
    const res = await reviewer.request('GET', '/staff/cameras', undefined, { accept: HTML });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('无权访问');
    expect(res.body).toMatch(/<a id="error-home" href="\/staff">/);
  });
});
