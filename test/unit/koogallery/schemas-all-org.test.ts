import { describe, expect, it } from 'vitest';
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
