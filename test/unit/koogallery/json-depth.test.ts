import { describe, expect, it } from 'vitest';
import { assertJsonDepth, MAX_JSON_DEPTH } from '../../../src/koogallery/json-depth.js';
import { parseJsonObject } from '../../../src/koogallery/canonical.js';
import { isUserName, isWellFormedText } from '../../../src/shared/identifiers.js';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('assertJsonDepth', () => {
  it('allows 64 levels and refuses 65 with invalid_json naming the limit', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(() => assertJsonDepth(nested(64))).not.toThrow();
    expect(() => assertJsonDepth(nested(65))).toThrow(expect.objectContaining({ code: 'invalid_json', message: 'request body nests deeper than 64 levels' }));
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(() => assertJsonDepth(`{"a":"${'['.repeat(1000)}","b":"\\"${'{'.repeat(1000)}"}`)).not.toThrow();
  });

  it('is counted by parseJsonObject before JSON.parse, for 5,000 levels too', () => {
    expect(() => parseJsonObject(`{"a":${nested(5000)}}`)).toThrow(expect.objectContaining({ code: 'invalid_json', message: 'request body nests deeper than 64 levels' }));
  });
});

describe('well-formed Unicode', () => {
  it.each([
    ['a lone high surrogate', 'a\ud800b', false],
    ['a lone low surrogate', 'a\udc00b', false],
    ['a high surrogate at the end', 'ab\ud83d', false],
    ['a pair (an emoji)', 'a\ud83d\ude00b', true],
    ['U+FFFD itself', 'a\ufffdb', true],
    ['CJK', '张三', true],
  ])('%s: %s', (_name, text, ok) => {
    expect(isWellFormedText(text)).toBe(ok);
    expect(isUserName(text)).toBe(ok);
  });
});
