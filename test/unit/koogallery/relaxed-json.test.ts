import { describe, expect, it } from 'vitest';
import { MAX_NESTING, nestsDeeperThan, parseJsonOrJson5 } from '../../../src/koogallery/relaxed-json.js';

describe('relaxed JSON (spec §5.5: the documentation writes keys unquoted)', () => {
  it('reads strict JSON as JSON.parse does', () => {
    expect(parseJsonOrJson5('[{"orgCode":"A","n":1.5}]')).toEqual([{ orgCode: 'A', n: 1.5 }]);
    expect(parseJsonOrJson5('"text"')).toBe('text');
  });

  it('reads unquoted keys, single quotes and trailing commas as JSON5', () => {
    expect(parseJsonOrJson5("[{orgCode:'A', orgName:\"产品部\",},]")).toEqual([{ orgCode: 'A', orgName: '产品部' }]);
  });

  it.each(['', 'not json', '[{orgCode:A}]', '[1,', 'alert(1)', '(() => 1)()'])('answers undefined for %j, which neither grammar reads', (text) => {
    expect(parseJsonOrJson5(text)).toBeUndefined();
  });

  it(`counts nesting without recursion: ${MAX_NESTING} levels pass, one more does not`, () => {
    const nest = (levels: number): unknown => (levels === 0 ? 'leaf' : [nest(levels - 1)]);
    expect(nestsDeeperThan(nest(MAX_NESTING), MAX_NESTING)).toBe(false);
    expect(nestsDeeperThan(nest(MAX_NESTING + 1), MAX_NESTING)).toBe(true);
    expect(nestsDeeperThan({ a: { b: {} } }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: { b: { c: {} } } }, 3)).toBe(true);
    expect(nestsDeeperThan('scalar', 0)).toBe(false);
  });

  it('handles very deep text without exhausting the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const value = parseJsonOrJson5(deep.replace(/^\[/, '[ /* not JSON */'));
    expect(nestsDeeperThan(value, MAX_NESTING)).toBe(true);
  });
});
