import { describe, expect, it } from 'vitest';
import { parse, refused } from './schema-helpers.js';

const add = { instanceId: 'inst-1', tenantId: 't1', orgCode: 'D01', orgName: 'R&D 研发', parentCode: 'ROOT', flag: 1, testFlag: 0, timeStamp: '20220413093539534' };

describe('singleOrgSync (spec §5.4)', () => {
  it('normalizes an add', () => {
    expect(parse('singleOrgSync', add)).toEqual({ ...add, orderId: '' });
  });

  it.each([undefined, null, '', '  '])('reads a top-level department from parentCode %j as ""', (parentCode) => {
    expect(parse('singleOrgSync', { ...add, parentCode }).parentCode).toBe('');
  });

  it('accepts a modify that moves the department', () => {
    expect(parse('singleOrgSync', { ...add, flag: 2, parentCode: 'OTHER' })).toMatchObject({ flag: 2, parentCode: 'OTHER' });
  });

  it('accepts a delete with only tenantId and orgCode', () => {
    expect(parse('singleOrgSync', { tenantId: 't1', orgCode: 'D01', flag: 0 })).toMatchObject({ flag: 0, orgCode: 'D01', orgName: null, parentCode: '' });
  });

  it('needs orgCode for every flag', () => {
    refused('singleOrgSync', { ...add, orgCode: undefined }, 'orgCode', 'orgCode: required');
    refused('singleOrgSync', { tenantId: 't1', flag: 0 }, 'orgCode', 'orgCode: required');
  });

  it('needs orgName for add and modify', () => {
    refused('singleOrgSync', { ...add, orgName: undefined }, 'orgName', 'orgName: required');
    refused('singleOrgSync', { ...add, flag: 2, orgName: null }, 'orgName', 'orgName: required');
  });

  it('limits orgCode and parentCode to 64 characters and orgName to 255', () => {
    refused('singleOrgSync', { ...add, orgCode: 'c'.repeat(65) }, 'orgCode', /at most 64/);
    refused('singleOrgSync', { ...add, parentCode: 'p'.repeat(65) }, 'parentCode', /at most 64/);
    refused('singleOrgSync', { ...add, orgName: 'n'.repeat(256) }, 'orgName', /at most 255/);
  });

  it('refuses a non-string orgCode', () => {
    refused('singleOrgSync', { ...add, orgCode: 101 }, 'orgCode', /must be a string/);
  });

  it('refuses flag 3', () => {
    refused('singleOrgSync', { ...add, flag: 3 }, 'flag');
  });
});
