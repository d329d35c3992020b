import { describe, expect, it } from 'vitest';
import { parseKitBody } from '../../../src/koogallery/schemas.js';
import { formatPath } from '../../../src/koogallery/schemas-common.js';
import { parse, refused } from './schema-helpers.js';

// singleOrgSync has every common field and few others: a convenient carrier for the shared rules.
const base = { tenantId: 'tenant-1', flag: 1, orgCode: 'D1', orgName: 'Dept' };

describe('kit bodies: shared rules', () => {
  describe('the body', () => {
    it.each([null, [], 'text', 42, true])('refuses a body that is not an object (%j), naming "body"', (body) => {
      refused('singleOrgSync', body, 'body', 'body: must be a JSON object');
    });

    it('refuses an unknown interface name', () => {
      expect(() => parseKitBody('nope' as 'tenantSync', {}, { allowInsecureIdp: false })).toThrow(expect.objectContaining({ code: 'unknown_interface' }));
    });

    it('ignores unknown extra fields', () => {
      const out = parse('singleOrgSync', { ...base, surprise: { deep: true }, __proto__x: 1 });
      expect(out).not.toHaveProperty('surprise');
    });

    it('names nested paths as a[3].b', () => {
      expect(formatPath(['userList', 3, 'role'])).toBe('userList[3].role');
      expect(formatPath([])).toBe('body');
      expect(formatPath([0])).toBe('[0]');
    });
  });

  describe('instanceId and orderId', () => {
    it.each([undefined, null, '', '   '])('become "" when absent or empty (%j)', (value) => {
      const out = parse('singleOrgSync', { ...base, instanceId: value, orderId: value });
      expect(out.instanceId).toBe('');
      expect(out.orderId).toBe('');
    });

    it('are kept, trimmed', () => {
      const out = parse('singleOrgSync', { ...base, instanceId: ' inst-1 ', orderId: 'CS1906666666ABCDE' });
      expect(out).toMatchObject({ instanceId: 'inst-1', orderId: 'CS1906666666ABCDE' });
    });

    it('are at most 64 characters', () => {
      expect(parse('singleOrgSync', { ...base, instanceId: 'i'.repeat(64) }).instanceId).toHaveLength(64);
      refused('singleOrgSync', { ...base, instanceId: 'i'.repeat(65) }, 'instanceId', /at most 64/);
      refused('singleOrgSync', { ...base, orderId: 'o'.repeat(65) }, 'orderId', /at most 64/);
    });

    it('must be strings', () => {
      refused('singleOrgSync', { ...base, instanceId: 12 }, 'instanceId', /must be a string/);
    });

    it('refuse control characters', () => {
      refused('singleOrgSync', { ...base, orderId: 'a\nb' }, 'orderId', /control characters/);
    });
  });

  describe('flag', () => {
    it.each([
      [1, 1],
      ['1', 1],
      [0, 0],
      ['2', 2],
    ])('reads %j as %i', (value, expected) => {
      expect(parse('singleOrgSync', { ...base, flag: value }).flag).toBe(expected);
    });

    it.each([undefined, null])('is required (%j)', (value) => {
      refused('singleOrgSync', { ...base, flag: value }, 'flag', 'flag: required');
    });

    it.each([3, '3', -1, 1.5, '01', ' 1', 'one', true, [1], {}])('refuses %j, listing what is allowed', (value) => {
      refused('singleOrgSync', { ...base, flag: value }, 'flag', 'flag: must be one of 0, 1, 2');
    });
  });

  describe('testFlag', () => {
    it.each([
      [undefined, 0],
      [null, 0],
      [0, 0],
      [1, 1],
      ['1', 1],
      ['0', 0],
    ])('reads %j as %i', (value, expected) => {
      expect(parse('singleOrgSync', { ...base, testFlag: value }).testFlag).toBe(expected);
    });

    it.each([2, '2', 'true', true, 0.5, ''])('refuses %j', (value) => {
      refused('singleOrgSync', { ...base, testFlag: value }, 'testFlag', 'testFlag: must be one of 0, 1');
    });
  });

  describe('timeStamp', () => {
    it('keeps a GMT+8 yyyyMMddHHmmssSSS string', () => {
      expect(parse('singleOrgSync', { ...base, timeStamp: '20220413093539534' }).timeStamp).toBe('20220413093539534');
    });

    it.each([undefined, null, ''])('is null when absent (%j)', (value) => {
      expect(parse('singleOrgSync', { ...base, timeStamp: value }).timeStamp).toBeNull();
    });

    it('converts Unix milliseconds (number or string) to GMT+8 digits, so versions compare as strings', () => {
      // 2023-04-03T07:47:46.618Z is 15:47:46.618 in GMT+8.
      expect(parse('singleOrgSync', { ...base, timeStamp: 1680508066618 }).timeStamp).toBe('20230403154746618');
      expect(parse('singleOrgSync', { ...base, timeStamp: '1680508066618' }).timeStamp).toBe('20230403154746618');
      // Crossing midnight in GMT+8 moves the date.
      expect(parse('singleOrgSync', { ...base, timeStamp: Date.UTC(2024, 0, 31, 16, 0, 0, 5) }).timeStamp).toBe('20240201000000005');
    });

    it.each([
      '2022041309353953', // 16 digits
      '202204130935395340', // 18 digits
      '20221313093539534', // month 13
      '20220432093539534', // day 32
      '20220413243539534', // hour 24
      '20220413096039534', // minute 60
      '2022-04-13 09:35:39',
      '1680508066', // seconds
      1680508066,
      20220413093539534, // a 17-digit JSON number has already lost precision
      1680508066618.5,
      true,
    ])('refuses %j', (value) => {
      refused('singleOrgSync', { ...base, timeStamp: value }, 'timeStamp', /yyyyMMddHHmmssSSS \(17 digits\) or Unix milliseconds \(13 digits\)/);
    });
  });

  describe('tenantId', () => {
    it.each(['68cbc86abc', 'a', 'A.b_c~d:e@f-g', 't'.repeat(64)])('accepts %j', (tenantId) => {
      expect(parse('singleOrgSync', { ...base, tenantId }).tenantId).toBe(tenantId);
    });

    it.each([undefined, null, ''])('is required (%j)', (tenantId) => {
      refused('singleOrgSync', { ...base, tenantId }, 'tenantId', 'tenantId: required');
    });

    it('is at most 64 characters', () => {
      refused('singleOrgSync', { ...base, tenantId: 't'.repeat(65) }, 'tenantId', /at most 64/);
    });

    it.each(['{tenant}', 'a}b', ' tenant', 'tenant ', 'ten ant', 'a/b', 'a?b', 'a#b', 'a%2F', 'a\nb', '租户'])(
      'refuses %j: it becomes part of a Redis hash tag and of URLs',
      (tenantId) => {
        refused('singleOrgSync', { ...base, tenantId }, 'tenantId', /only letters, digits/);
      },
    );

    it('must be a string', () => {
      refused('singleOrgSync', { ...base, tenantId: 12345 }, 'tenantId', /must be a string/);
    });
  });

  it('reports the first offending field when several are wrong', () => {
    refused('singleOrgSync', { tenantId: '{x}', flag: 1, testFlag: 9 }, 'testFlag');
  });
});
