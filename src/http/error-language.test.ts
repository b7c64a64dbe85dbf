import { describe, expect, it } from 'vitest';
import { messageFor } from './error-language.js';

describe('error messages in the reader’s language', () => {
  it('gives listed messages word for word and leaves English readers their words', () => {
    expect(messageFor('this task is not held by you', 'conflict', 'zh')).toBe(
      '该任务不在您名下（可能已被退回或由他人领取）',
    );
    expect(messageFor('this task is not held by you', 'conflict', 'en')).toBe('this task is not held by you');
  });

  it('names what was not found', () => {
    expect(messageFor('case not found', 'not_found', 'zh')).toBe('案件不存在');
    expect(messageFor('review task not found', 'not_found', 'zh')).toBe('审核任务不存在');
  });

  it('keeps the figures of a patterned message', () => {
    expect(messageFor('the statement period ended on 2026-03-05', 'conflict', 'zh')).toBe(
      '陈述申辩期限已于 2026-03-05 届满',
    );
    expect(
      messageFor('case 沪浦城管罚〔2026〕12号 has nothing to pay in state closed', 'conflict', 'zh'),
    ).toBe('案件 沪浦城管罚〔2026〕12号 在当前状态（closed）下没有应缴款项');
  });

  it('says what the schema refused, field by field', () => {
    expect(messageFor('body/name must NOT have more than 200 characters', 'invalid_input', 'zh')).toBe(
      '输入不符合要求：name 不能超过 200 个字',
    );
    expect(messageFor('params/id must match format "uuid"', 'invalid_input', 'zh')).toBe(
      '输入不符合要求：id 格式不正确',
    );
    expect(
      messageFor(
        "body must have required property 'reason', body/note must be string",
        'invalid_input',
        'zh',
      ),
    ).toBe('输入不符合要求：缺少必填项 reason；note 类型不正确');
  });

  it('says an unlisted message by its kind and keeps the English words', () => {
    expect(messageFor('the moon is not in the right phase', 'conflict', 'zh')).toBe(
      '当前状态下不能进行此操作（the moon is not in the right phase）',
    );
    expect(messageFor('用户名或密码错误 (wrong username or password)', 'unauthorized', 'zh')).toBe(
      '用户名或密码错误 (wrong username or password)',
    );
  });
});
