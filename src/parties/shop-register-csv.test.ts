import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from './identity-codes.js';
import { CsvFileError, parseCsv, planShopImport, readShopRegister } from './shop-register-csv.js';

const code = (body: string) => body + creditCodeCheckChar(body)!;
const A = code('91310115MA1K00001');
const B = code('91310115MA1K00002');

describe('the shop register CSV', () => {
  it('parses quoted fields, doubled quotes, CRLF and a byte-order mark', () => {
    const records = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\n\n');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['two\nlines', 'z'] },
    ]);
  });

  it('reads good rows and refuses malformed ones with their line and reason', () => {
    const text = [
      '名称,统一社会信用代码,地址,联系电话',
      `张记小吃,${A.toLowerCase()},浦东新区东方路 1 号,138-0013-8000`,
      '李记烟杂店,91310115MA1K000019,浦东新区东方路 2 号,',
      `,${B},浦东新区东方路 3 号,`,
      `王记,${B},,`,
      `赵记,${B},浦东新区东方路 4 号,12ab`,
      `钱记,${B}`,
    ].join('\n');
    const { rows, refused } = readShopRegister(text);
    expect(rows).toEqual([
      {
        line: 2,
        name: '张记小吃',
        creditCode: A,
        address: '浦东新区东方路 1 号',
        phone: '13800138000',
        email: null,
      },
    ]);
    expect(refused.map((r) => [r.line, r.reason])).toEqual([
      [3, 'malformed_credit_code'],
      [4, 'missing_name'],
      [5, 'missing_address'],
      [6, 'malformed_phone'],
      [7, 'wrong_column_count'],
    ]);
  });

  it('refuses an e-mail address a mailer would read as another one', () => {
    const text = [
      '名称,统一社会信用代码,地址,电子邮箱',
      `孙记,${A},一号,shop@x.cn`,
      `李记,${B},二号,x<evil@example.com>`,
      `周记,${B},三号,"a@x.cn, b@y.cn"`,
    ].join('\n');
    const { rows, refused } = readShopRegister(text);
    expect(rows.map((r) => r.email)).toEqual(['shop@x.cn']);
    expect(refused.map((r) => [r.line, r.reason])).toEqual([
      [3, 'malformed_email'],
      [4, 'malformed_email'],
    ]);
  });

  it('refuses the file for an unknown or missing column, or no header', () => {
    expect(() => readShopRegister('名称,地址\nx,y')).toThrow(CsvFileError);
    expect(() => readShopRegister('名称,统一社会信用代码,地址,备注\n')).toThrow(/备注/);
    expect(() => readShopRegister('')).toThrow(CsvFileError);
    expect(() => readShopRegister('名称,"统一社会信用代码\n')).toThrow(CsvFileError);
  });

  it('refuses duplicates of the register and of earlier rows', () => {
    const rows = [
      { line: 2, name: '甲', creditCode: A, address: '一号', phone: null, email: null },
      { line: 3, name: '乙', creditCode: B, address: '二号', phone: null, email: null },
      { line: 4, name: '乙2', creditCode: B, address: '二号乙', phone: null, email: null },
      {
        line: 5,
        name: '丙',
        creditCode: code('91310115MA1K00003'),
        address: '三 号',
        phone: null,
        email: null,
      },
      {
        line: 6,
        name: '丁',
        creditCode: code('91310115MA1K00004'),
        address: '二号',
        phone: null,
        email: null,
      },
      {
        line: 7,
        name: '乙',
        creditCode: code('91310115MA1K00005'),
        address: '二 号',
        phone: null,
        email: null,
      },
    ];
    const plan = planShopImport(rows, { codes: new Set([A]), nameAddresses: new Set(['丙\u0001三号']) });
    expect(plan.accepted.map((r) => r.line)).toEqual([3, 6]);
    expect(plan.refused.map((r) => [r.line, r.reason])).toEqual([
      [2, 'duplicate_code_in_register'],
      [4, 'duplicate_code_in_file'],
      [5, 'duplicate_name_address'],
      [7, 'duplicate_name_address'],
    ]);
  });
});
