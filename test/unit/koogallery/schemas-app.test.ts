import { describe, expect, it } from 'vitest';
import { parse, refused } from './schema-helpers.js';

const add = {
  instanceId: 'inst-1',
  orderId: 'CS1',
  tenantId: '68cbc86abc',
  appId: 'app-koobridge',
  clientId: 'client-123',
  clientSecret: 'QUJD'.repeat(128),
  flag: 1,
  testFlag: 1,
  timeStamp: '20220413093539534',
};

describe('applicationSync (spec §5.2)', () => {
  it('normalizes an add, leaving the secret encrypted', () => {
    expect(parse('applicationSync', add)).toEqual({ ...add, flag: 1, testFlag: 1 });
  });

  it('accepts a modify, and string flags', () => {
    expect(parse('applicationSync', { ...add, flag: '2', testFlag: '0' })).toMatchObject({ flag: 2, testFlag: 0 });
  });

  it('accepts the seller\'s own credential application (empty instanceId and orderId)', () => {
    expect(parse('applicationSync', { ...add, instanceId: '', orderId: null })).toMatchObject({ instanceId: '', orderId: '' });
  });

  describe('add and modify', () => {
    it.each(['clientId', 'clientSecret'])('need %s', (field) => {
      refused('applicationSync', { ...add, [field]: undefined }, field, `${field}: required`);
      refused('applicationSync', { ...add, flag: 2, [field]: '' }, field, `${field}: must not be empty`);
    });

    it('clientId is at most 64 characters', () => {
      expect(parse('applicationSync', { ...add, clientId: 'c'.repeat(64) }).clientId).toHaveLength(64);
      refused('applicationSync', { ...add, clientId: 'c'.repeat(65) }, 'clientId', /at most 64/);
    });

    it('clientSecret is at most 4096 characters, and may be line-wrapped Base64', () => {
      expect(parse('applicationSync', { ...add, clientSecret: 'A'.repeat(4096) }).clientSecret).toHaveLength(4096);
      expect(parse('applicationSync', { ...add, clientSecret: 'QUJD\r\nQUJD\n' }).clientSecret).toBe('QUJD\r\nQUJD');
      refused('applicationSync', { ...add, clientSecret: 'A'.repeat(4097) }, 'clientSecret', /at most 4096/);
    });

    it('clientSecret must be a string', () => {
      refused('applicationSync', { ...add, clientSecret: { cipher: 'x' } }, 'clientSecret', /must be a string/);
    });
  });

  describe('delete', () => {
    it('needs only tenantId and appId', () => {
      expect(parse('applicationSync', { tenantId: 't1', appId: 'a1', flag: 0 })).toEqual({
        instanceId: '',
        orderId: '',
        tenantId: 't1',
        appId: 'a1',
        flag: 0,
        clientId: null,
        clientSecret: null,
        testFlag: 0,
        timeStamp: null,
      });
    });

    it('drops a clientSecret it carries: a delete must not depend on decrypting it', () => {
      expect(parse('applicationSync', { ...add, flag: 0, clientSecret: 'garbage' }).clientSecret).toBeNull();
    });

    it('still needs tenantId and appId', () => {
      refused('applicationSync', { appId: 'a1', flag: 0 }, 'tenantId', 'tenantId: required');
      refused('applicationSync', { tenantId: 't1', flag: 0 }, 'appId', 'appId: required');
    });
  });

  describe('appId', () => {
    it('allows the identifier characters', () => {
      expect(parse('applicationSync', { ...add, appId: 'a.b_c~d:e@f-1' }).appId).toBe('a.b_c~d:e@f-1');
    });

    it.each(['{app}', 'app id', 'a'.repeat(65), 'a/b'])('refuses %j', (appId) => {
      refused('applicationSync', { ...add, appId }, 'appId');
    });
  });

  it('refuses flag 3, which only authSync knows', () => {
    refused('applicationSync', { ...add, flag: 3 }, 'flag', 'flag: must be one of 0, 1, 2');
  });
});
