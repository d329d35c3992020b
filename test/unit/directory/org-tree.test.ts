import { describe, expect, it } from 'vitest';
import { buildOrgTree } from '../../../src/directory/orgs.js';

const org = (orgCode: string, parentCode = '', orgName = orgCode.toUpperCase()) => ({ orgCode, orgName, parentCode, test: false });
const shape = (nodes: ReturnType<typeof buildOrgTree>): unknown => nodes.map((n) => [n.orgCode, ...(n.orphan ? ['orphan'] : []), shape(n.children)]);

describe('department tree', () => {
  it('nests children under their parent, sorted by name', () => {
    expect(shape(buildOrgTree([org('b', 'hq'), org('hq'), org('a', 'hq'), org('a1', 'a')]))).toEqual([['hq', [['a', [['a1', []]]], ['b', []]]]]);
  });

  it('shows a department whose parent is unknown at the top, marked orphan', () => {
    expect(shape(buildOrgTree([org('x', 'gone'), org('root')]))).toEqual([['root', []], ['x', 'orphan', []]]);
  });

  it('breaks a parent cycle by showing its members at the top instead of losing them', () => {
    expect(shape(buildOrgTree([org('a', 'b'), org('b', 'a'), org('c', 'a')]))).toEqual([
      ['a', 'orphan', [['c', []]]],
      ['b', 'orphan', []],
    ]);
  });
});
