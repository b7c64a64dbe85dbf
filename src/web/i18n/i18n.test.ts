import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LABELS, VIOLATION_TYPE_CODES, label } from './labels.js';
import { en } from './messages.en.js';
import { zh, type MessageKey } from './messages.zh.js';
import { staffI18n, t } from './index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('staff message catalogue', () => {
  it('has the same keys and the same placeholders in both languages', () => {
    const keys = Object.keys(zh) as MessageKey[];
    expect(Object.keys(en).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      expect(en[key].trim(), key).not.toBe('');
      expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
    }
  });

  it('fills placeholders and speaks the language asked for', () => {
    expect(t('zh', 'nav.cases')).toBe('案件');
    expect(t('en', 'nav.cases')).toBe('Cases');
    expect(t('zh', 'error.requestId', { id: 'r-1' })).toBe('请求编号：r-1');
    const i18n = staffI18n('en');
    expect(i18n.htmlLang).toBe('en');
    expect(i18n.t('nav.signOut')).toBe('Sign out');
    expect(staffI18n('zh').htmlLang).toBe('zh-CN');
  });

  it('labels codes in Chinese and English and shows an unknown code as itself', () => {
    expect(label('zh', 'caseState', 'advance_notice_sent')).toBe('已发送事先告知书');
    expect(label('en', 'caseState', 'advance_notice_sent')).toBe('Advance notice sent');
    expect(label('zh', 'zoneKind', 'dumping_spot')).toBe('易倒垃圾点');
    expect(label('zh', 'statementReviewStatus', 'partly_accepted')).toBe('部分采纳');
    expect(label('zh', 'caseState', 'no_such_state')).toBe('no_such_state');
    expect(label('zh', 'caseState', null)).toBe('—');
    expect(label('zh', 'caseState', 'toString')).toBe('toString');
  });

  it('gives every label in both languages, the Chinese one in Chinese', () => {
    for (const [group, map] of Object.entries(LABELS)) {
      for (const [code, [zhLabel, enLabel]] of Object.entries(
        map as Record<string, readonly [string, string]>,
      )) {
        expect(zhLabel, `${group}.${code}`).toMatch(/[\u4e00-\u9fff]/);
        expect(enLabel.trim(), `${group}.${code}`).not.toBe('');
      }
    }
  });

  it('knows every violation type of the catalogue files, with the catalogue short name', () => {
    const dir = path.resolve('config/catalogue');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
      const catalogue = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        violationTypes: { code: string; shortName: string }[];
      };
      for (const type of catalogue.violationTypes) {
        expect(VIOLATION_TYPE_CODES, `${file}: ${type.code}`).toContain(type.code);
        expect(label('zh', 'violationType', type.code)).toBe(type.shortName);
      }
    }
  });
});
