import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../../src/parties/identity-codes.js';
import {
  createTestContext,
  seedDistrict,
  seedStaff,
  TestClient,
  type TestContext,
} from '../support/test-app.js';

let ctx: TestContext;
let staff: TestClient;
let other: TestClient;
let admin: TestClient;

const code = (body: string) => body + creditCodeCheckChar(body)!;
const REGISTERED = code('91310115MA1K20001');
const malformed = (() => {
  const good = code('91310115MA1K20009');
  return good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
})();

const CSV = [
  '名称,统一社会信用代码,地址,联系电话,电子邮箱',
  `好运便利店,${code('91310115MA1K20002')},浦东新区张杨路 1 号,13800138001,`,
  `"老王水果店, 二分店",${code('91310115MA1K20003')},浦东新区张杨路 2 号,,wang@example.cn`,
  `错号店,${malformed},浦东新区张杨路 3 号,,`,
  `已登记店（改名）,${REGISTERED},浦东新区张杨路 4 号,,`,
  `文件内重复,${code('91310115MA1K20002')},浦东新区张杨路 5 号,,`,
  `登记过的店,${code('91310115MA1K20004')},浦东新区张杨路 6 号,,`,
  `第三家,${code('91310115MA1K20005')},浦东新区张杨路 7 号,,`,
].join('\r\n');

const countParties = async () =>
  Number((await ctx.pool.query(`select count(*) from parties where district_id = 'pudong'`)).rows[0].count);

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  await seedDistrict(ctx.pool, 'huangpu');
  const a = await seedStaff(ctx.pool, 'imp_staff', 'district_staff', 'pudong');
  const b = await seedStaff(ctx.pool, 'imp_other', 'district_staff', 'huangpu');
  const c = await seedStaff(ctx.pool, 'imp_admin', 'admin', null);
  staff = await new TestClient(ctx.app).login(a.username, a.password);
  other = await new TestClient(ctx.app).login(b.username, b.password);
  admin = await new TestClient(ctx.app).login(c.username, c.password);
  for (const [name, idNumber, address] of [
    ['已登记店', REGISTERED, '浦东新区张杨路 4 号'],
    ['登记过的店', code('91310115MA1K20099'), '浦东新区 张杨路 6 号'],
  ])
    expect(
      (await staff.request('POST', '/api/parties', { kind: 'unit', name, idNumber, address })).statusCode,
    ).toBe(201);
});
afterAll(() => ctx.close());

describe('importing the shop register from a CSV file', () => {
  it('a dry run reports the rows to import and the refused rows with reasons, and stores nothing', async () => {
    const before = await countParties();
    const res = await staff.request('POST', '/api/parties/import', { csv: CSV, dryRun: true });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.dryRun).toBe(true);
    expect(report.accepted.map((r: { line: number }) => r.line)).toEqual([2, 3, 8]);
    expect(report.accepted[1]).toMatchObject({ name: '老王水果店, 二分店', email: 'wang@example.cn' });
    expect(report.refused.map((r: { line: number; reason: string }) => [r.line, r.reason])).toEqual([
      [4, 'malformed_credit_code'],
      [5, 'duplicate_code_in_register'],
      [6, 'duplicate_code_in_file'],
      [7, 'duplicate_name_address'],
    ]);
    expect(await countParties()).toBe(before);
  });

  it('the import stores the good rows in the district, reports the others, audited once with counts', async () => {
    const before = await countParties();
    const res = await staff.request('POST', '/api/parties/import', { csv: CSV, dryRun: false });
    expect(res.statusCode).toBe(200);
    expect(res.json().accepted).toHaveLength(3);
    expect(res.json().refused).toHaveLength(4);
    expect(await countParties()).toBe(before + 3);
    const { rows } = await ctx.pool.query(
      `select name, phone, email, kind from parties where id_number = $1 and district_id = 'pudong'`,
      [code('91310115MA1K20002')],
    );
    expect(rows).toEqual([{ name: '好运便利店', phone: '13800138001', email: null, kind: 'unit' }]);
    const audit = await ctx.pool.query(
      `select data, district_id from audit_log where action = 'party.import'`,
    );
    expect(audit.rows).toEqual([{ data: { imported: 3, refused: 4, rows: 7 }, district_id: 'pudong' }]);

    const again = (await staff.request('POST', '/api/parties/import', { csv: CSV, dryRun: false })).json();
    expect(again.accepted).toHaveLength(0);
    expect(await countParties()).toBe(before + 3);
  });

  it('refuses a file with an unknown or missing column as a whole', async () => {
    const unknown = await staff.request('POST', '/api/parties/import', {
      csv: '名称,统一社会信用代码,地址,备注\n甲,x,y,z',
      dryRun: true,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/备注/);
    const missing = await staff.request('POST', '/api/parties/import', {
      csv: '名称,地址\n甲,乙',
      dryRun: false,
    });
    expect(missing.statusCode).toBe(400);
  });

  it('imports into the caller district only; an admin names the district', async () => {
    const foreign = await other.request('POST', '/api/parties/import', {
      csv: CSV,
      dryRun: true,
      districtId: 'pudong',
    });
    expect(foreign.statusCode).toBe(403);
    const theirs = (await other.request('POST', '/api/parties/import', { csv: CSV, dryRun: true })).json();
    expect(theirs.districtId).toBe('huangpu');
    expect(theirs.accepted).toHaveLength(5);
    const noDistrict = await admin.request('POST', '/api/parties/import', { csv: CSV, dryRun: true });
    expect(noDistrict.statusCode).toBe(400);
    const named = await admin.request('POST', '/api/parties/import', {
      csv: CSV,
      dryRun: true,
      districtId: 'huangpu',
    });
    expect(named.statusCode).toBe(200);
  });
});
