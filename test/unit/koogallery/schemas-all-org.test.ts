import JSON5 from 'json5';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse, refused } from './schema-helpers.js';

const list = [
  { orgCode: 'ROOT', orgName: 'Company', parentCode: '' },
  { orgCode: 'D01', orgName: 'R&D', parentCode: 'ROOT' },
];
const body = { instanceId: 'inst-1', tenantId: 't1', orgInfoList: list, testFlag: 0, timeStamp: '20220413093539534' };

describe('allOrgSync (spec §5.5)', () => {
  it('normalizes a snapshot sent as an array', () => {
    expect(parse('allOrgSync', body)).toEqual({ ...body, orderId: '' });
  });

  it('accepts the documentation\'s example form: the list as a JSON string, and a stray flag', () => {
    const out = parse('allOrgSync', { ...body, orgInfoList: JSON.stringify(list), flag: 1 });
    expect(out.orgInfoList).toEqual(list);
    expect(out).not.toHaveProperty('flag');
  });

  describe('the documentation\'s literal string with unquoted keys (JSON5 fallback)', () => {
    // As printed in the V1 and V2 pages: JavaScript-literal keys inside a string, so not JSON.
    const documented = '[{orgCode:"00000001", orgName:"产品部", parentCode:""}, {orgCode:"00000002", orgName:"研发部", parentCode:"00000001"}]';

    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('accepts the documented example and reads it as the same list', () => {
      expect(() => JSON.parse(documented)).toThrow(SyntaxError);
      expect(parse('allOrgSync', { ...body, orgInfoList: documented, flag: 1 }).orgInfoList).toEqual([
        { orgCode: '00000001', orgName: '产品部', parentCode: '' },
        { orgCode: '00000002', orgName: '研发部', parentCode: '00000001' },
      ]);
    });

    it('accepts the other relaxed spellings JSON5 allows (single quotes, trailing commas, comments)', () => {
      const out = parse('allOrgSync', { ...body, orgInfoList: "[{orgCode:'A', OrgName:'Alpha',}, /* top */ {orgCode:'B', orgName:'Beta', parentCode:'A'},]" });
      expect(out.orgInfoList).toEqual([
        { orgCode: 'A', orgName: 'Alpha', parentCode: '' },
        { orgCode: 'B', orgName: 'Beta', parentCode: 'A' },
      ]);
    });

    it('tries strict JSON first: a JSON string never reaches the JSON5 parser', () => {
      const json5 = vi.spyOn(JSON5, 'parse');
      parse('allOrgSync', { ...body, orgInfoList: JSON.stringify(list) });
      expect(json5).not.toHaveBeenCalled();
      parse('allOrgSync', { ...body, orgInfoList: documented });
      expect(json5).toHaveBeenCalledTimes(1);
    });

    it('validates the relaxed list with the same schema', () => {
      refused('allOrgSync', { ...body, orgInfoList: '[{orgCode:"A", orgName:"A"}, {orgName:"X"}]' }, 'orgInfoList[1].orgCode', 'orgInfoList[1].orgCode: required');
      refused('allOrgSync', { ...body, orgInfoList: '[{orgCode:1, orgName:"A"}]' }, 'orgInfoList[0].orgCode', /must be a string/);
      refused('allOrgSync', { ...body, orgInfoList: '[{orgCode:"A", orgName:"A"}, {orgCode:"A", orgName:"B"}]' }, 'orgInfoList[1].orgCode', /duplicates orgInfoList\[0\]\.orgCode/);
      refused('allOrgSync', { ...body, orgInfoList: '{orgCode:"A", orgName:"A"}' }, 'orgInfoList', /must be a JSON array/);
    });

    it('never evaluates the text', () => {
      const code = '[{orgCode:(function(){globalThis.koobridgePwned=1;return "A"})(), orgName:"A"}]';
      refused('allOrgSync', { ...body, orgInfoList: code }, 'orgInfoList', /must be a JSON array/);
      expect((globalThis as Record<string, unknown>).koobridgePwned).toBeUndefined();
    });

    it('lets no __proto__ key reach a prototype', () => {
      const out = parse('allOrgSync', { ...body, orgInfoList: '[{orgCode:"A", orgName:"A", __proto__:{polluted:1}}]' });
      expect(out.orgInfoList).toEqual([{ orgCode: 'A', orgName: 'A', parentCode: '' }]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('stays bounded: nesting deeper than 8 levels is refused', () => {
      refused('allOrgSync', { ...body, orgInfoList: `${'['.repeat(9)}${']'.repeat(9)}` }, 'orgInfoList', 'orgInfoList: must not nest deeper than 8 levels');
      refused('allOrgSync', { ...body, orgInfoList: `[{orgCode:"A", orgName:${'['.repeat(8)}${']'.repeat(8)}}]` }, 'orgInfoList', /nest deeper than 8/);
      refused('allOrgSync', { ...body, orgInfoList: JSON.stringify([[[[[[[[['x']]]]]]]]]) }, 'orgInfoList', /nest deeper than 8/);
    });

    it('stays bounded: at most 50 000 departments in the relaxed form too', () => {
      const entries = Array.from({ length: 50_001 }, (_, i) => `{orgCode:"D${i}", orgName:"Dept ${i}"}`);
      refused('allOrgSync', { ...body, orgInfoList: `[${entries.join(',')}]` }, 'orgInfoList', /at most 50000/);
    });
  });

  it('accepts the OrgName spelling, orgName winning when both are present', () => {
    const out = parse('allOrgSync', { ...body, orgInfoList: [{ orgCode: 'A', OrgName: 'Alpha' }, { orgCode: 'B', orgName: 'Beta', OrgName: 'Other' }] });
    expect(out.orgInfoList).toEqual([
      { orgCode: 'A', orgName: 'Alpha', parentCode: '' },
      { orgCode: 'B', orgName: 'Beta', parentCode: '' },
    ]);
  });

  it('reads an absent or null parentCode as "" (top level) and trims codes', () => {
    const out = parse('allOrgSync', { ...body, orgInfoList: [{ orgCode: ' A ', orgName: 'A', parentCode: null }] });
    expect(out.orgInfoList).toEqual([{ orgCode: 'A', orgName: 'A', parentCode: '' }]);
  });

  it('accepts an empty snapshot', () => {
    expect(parse('allOrgSync', { ...body, orgInfoList: [] }).orgInfoList).toEqual([]);
    expect(parse('allOrgSync', { ...body, orgInfoList: '[]' }).orgInfoList).toEqual([]);
  });

  it('accepts 50 000 departments, and refuses one more', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => ({ orgCode: `D${i}`, orgName: `Dept ${i}`, parentCode: i === 0 ? '' : 'D0' }));
    expect(parse('allOrgSync', { ...body, orgInfoList: many }).orgInfoList).toHaveLength(50_000);
    refused('allOrgSync', { ...body, orgInfoList: [...many, { orgCode: 'X', orgName: 'X' }] }, 'orgInfoList', /at most 50000/);
  });

  it.each([undefined, null])('needs orgInfoList (%j)', (orgInfoList) => {
    refused('allOrgSync', { ...body, orgInfoList }, 'orgInfoList', 'orgInfoList: required');
  });

  it.each(['not json', '{"orgCode":"A"}', '', 42, { orgCode: 'A' }])('refuses orgInfoList %j, which is not an array', (orgInfoList) => {
    refused('allOrgSync', { ...body, orgInfoList }, 'orgInfoList', /must be a JSON array/);
  });

  it('refuses an entry that is not an object', () => {
    refused('allOrgSync', { ...body, orgInfoList: [list[0], 'D01'] }, 'orgInfoList[1]', /must be an object/);
  });

  it('needs orgCode and a name in every entry', () => {
    refused('allOrgSync', { ...body, orgInfoList: [list[0], { orgName: 'X' }] }, 'orgInfoList[1].orgCode', /required/);
    refused('allOrgSync', { ...body, orgInfoList: [list[0], { orgCode: 'X', orgName: '' }] }, 'orgInfoList[1].orgName', /required/);
  });

  it('refuses a duplicate orgCode, pointing at the first occurrence', () => {
    refused('allOrgSync', { ...body, orgInfoList: [...list, { orgCode: 'ROOT', orgName: 'Again' }] }, 'orgInfoList[2].orgCode', /duplicates orgInfoList\[0\]\.orgCode/);
  });

  it('refuses an over-long code or name inside an entry', () => {
    refused('allOrgSync', { ...body, orgInfoList: [{ orgCode: 'A', orgName: 'n'.repeat(256) }] }, 'orgInfoList[0].orgName', /at most 255/);
    refused('allOrgSync', { ...body, orgInfoList: [{ orgCode: 'A', orgName: 'A', parentCode: 'p'.repeat(65) }] }, 'orgInfoList[0].parentCode', /at most 64/);
  });

  it('needs tenantId', () => {
    refused('allOrgSync', { ...body, tenantId: '' }, 'tenantId', 'tenantId: required');
  });
});
