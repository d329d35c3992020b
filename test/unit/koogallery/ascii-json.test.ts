import { describe, expect, it } from 'vitest';
import { asciiJson, MAX_MEMO_LENGTH, memoFits } from '../../../src/koogallery/ascii-json.js';

const ASCII_ONLY = /^[\u0000-\u007f]*$/;

describe('asciiJson: the queryInstance answer with non-ASCII written as \\uXXXX (spec §6)', () => {
  it('escapes Chinese text', () => {
    expect(asciiJson({ memo: '产品部' })).toBe('{"memo":"\\u4ea7\\u54c1\\u90e8"}');
  });

  it('escapes an emoji as its surrogate pair, one \\uXXXX per UTF-16 unit', () => {
    expect(asciiJson('ok 😀')).toBe('"ok \\ud83d\\ude00"');
  });

  it('writes only ASCII and reads back as the same value', () => {
    const answer = {
      resultCode: '000000',
      resultMsg: 'success',
      info: [{ instanceId: 'inst-1', appInfo: { frontEndUrl: 'https://app.example.com/登录', memo: '欢迎使用 — Welcome 😀\u2028é', 键: ['値', 1, null, true] } }],
    };
    const text = asciiJson(answer);
    expect(text).toMatch(ASCII_ONLY);
    expect(JSON.parse(text)).toEqual(answer);
  });

  it('leaves ASCII exactly as JSON.stringify writes it', () => {
    const value = { a: 'plain "quoted" \\ / \n\t\u0001', n: 1.5, list: [1, 2] };
    expect(asciiJson(value)).toBe(JSON.stringify(value));
  });

  it('keeps JSON.stringify\'s escape of a lone surrogate', () => {
    expect(asciiJson('\ud83d')).toBe('"\\ud83d"');
  });

  it.each([undefined, () => 1, Symbol('s')])('refuses a value without a JSON form (%s)', (value) => {
    expect(() => asciiJson(value)).toThrow(TypeError);
  });
});

describe('memoFits: appInfo.memo is String(1024) as written', () => {
  it('counts an escaped character as six', () => {
    expect(MAX_MEMO_LENGTH).toBe(1024);
    expect(memoFits('m'.repeat(1024))).toBe(true);
    expect(memoFits('m'.repeat(1025))).toBe(false);
    expect(memoFits('中'.repeat(170))).toBe(true); // 1020 characters escaped
    expect(memoFits('中'.repeat(171))).toBe(false); // 1026
  });
});
