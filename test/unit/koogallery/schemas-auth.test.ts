import { describe, expect, it } from 'vitest';
import { parse, refused } from './schema-helpers.js';

const alice = { userName: 'alice', name: 'Alice 爱丽丝', orgCode: 'D01', role: 'admin', enable: 'true' };
const bob = { userName: 'bob', name: 'Bob', orgCode: 'D02', role: 'user', enable: 'false' };
const body = (over: Record<string, unknown> = {}) => ({
  instanceId: 'inst-1',
  orderId: 'CS1',
  tenantId: 't1',
  appId: 'app-1',
  flag: 1,
  testFlag: 0,
  timeStamp: '20220413093539534',
  currentSyncTime: '20220413093539000',
  userList: [alice, bob],
  ...over,
});
const users = (list: unknown, over: Record<string, unknown> = {}) => parse('authSync', body({ userList: list, ...over })).userList;

describe('authSync (spec §5.3)', () => {
  it('normalizes an add', () => {
    expect(parse('authSync', body())).toEqual({
      instanceId: 'inst-1',
      orderId: 'CS1',
      tenantId: 't1',
      appId: 'app-1',
      flag: 1,
      testFlag: 0,
      timeStamp: '20220413093539534',
      currentSyncTime: '20220413093539000',
      userList: [
        { userName: 'alice', name: 'Alice 爱丽丝', orgCode: 'D01', role: 'admin', enable: true },
        { userName: 'bob', name: 'Bob', orgCode: 'D02', role: 'user', enable: false },
      ],
    });
  });

  it('accepts userList as a JSON string holding the array (older revisions)', () => {
    expect(users(JSON.stringify([alice]))).toEqual([{ userName: 'alice', name: 'Alice 爱丽丝', orgCode: 'D01', role: 'admin', enable: true }]);
  });

  it.each([0, 1, 2, 3, '3'])('accepts flag %j', (flag) => {
    expect(parse('authSync', body({ flag })).flag).toBe(Number(flag));
  });

  it('refuses flag 4', () => {
    refused('authSync', body({ flag: 4 }), 'flag', 'flag: must be one of 0, 1, 2, 3');
  });

  it('needs appId', () => {
    refused('authSync', body({ appId: undefined }), 'appId', 'appId: required');
  });

  describe('currentSyncTime', () => {
    it('is null when absent', () => {
      expect(parse('authSync', body({ currentSyncTime: undefined })).currentSyncTime).toBeNull();
    });

    it('converts Unix milliseconds to GMT+8 digits', () => {
      expect(parse('authSync', body({ currentSyncTime: 1680508066618 })).currentSyncTime).toBe('20230403154746618');
      expect(parse('authSync', body({ currentSyncTime: '1680508066618' })).currentSyncTime).toBe('20230403154746618');
    });

    it('refuses anything else, naming the field', () => {
      refused('authSync', body({ currentSyncTime: '2022-04-13' }), 'currentSyncTime', /yyyyMMddHHmmssSSS/);
    });
  });

  describe('userList', () => {
    it.each([undefined, null])('is required (%j)', (userList) => {
      refused('authSync', body({ userList }), 'userList', 'userList: required');
    });

    it('holds at least one user', () => {
      refused('authSync', body({ userList: [] }), 'userList', 'userList: must hold at least 1 user');
      refused('authSync', body({ userList: '[]' }), 'userList', 'userList: must hold at least 1 user');
    });

    it('holds at most 500 users (KooGallery\'s per-call cap)', () => {
      const many = Array.from({ length: 501 }, (_, i) => ({ ...alice, userName: `u${i}` }));
      expect(users(many.slice(0, 500))).toHaveLength(500);
      refused('authSync', body({ userList: many }), 'userList', /at most 500/);
    });

    it.each(['[{"userName":', '{"userName":"a"}', 'alice', 42, { userName: 'a' }, ''])('refuses %j, which is not a JSON array', (userList) => {
      refused('authSync', body({ userList }), 'userList', /must be a JSON array/);
    });

    it('refuses an entry that is not an object', () => {
      refused('authSync', body({ userList: [alice, 'bob'] }), 'userList[1]', /must be an object/);
    });

    it('refuses the same userName twice, pointing at the first occurrence without quoting it', () => {
      const text = refused('authSync', body({ userList: [alice, bob, { ...alice, name: 'Other' }] }), 'userList[2].userName', /duplicates userList\[0\]\.userName/);
      expect(text).not.toContain('alice');
    });

    it('compares userNames after trimming', () => {
      refused('authSync', body({ userList: [alice, { ...alice, userName: ' alice ' }] }), 'userList[1].userName', /duplicates/);
    });
  });

  describe('add and modify (flags 1, 2) describe users fully', () => {
    it.each(['userName', 'name', 'orgCode', 'role', 'enable'])('%s is required', (field) => {
      refused('authSync', body({ userList: [alice, { ...bob, [field]: undefined }] }), `userList[1].${field}`, 'required');
      refused('authSync', body({ flag: 2, userList: [{ ...bob, [field]: null }] }), `userList[0].${field}`, 'required');
    });
  });

  describe('delete and cancel (flags 0, 3) only name users', () => {
    it.each([0, 3])('flag %i accepts users with only a userName', (flag) => {
      expect(users([{ userName: 'alice' }], { flag })).toEqual([{ userName: 'alice', name: null, orgCode: null, role: null, enable: null }]);
    });

    it('still parses other fields when present', () => {
      expect(users([{ userName: 'alice', role: 'ADMIN', enable: false }], { flag: 3 })).toEqual([
        { userName: 'alice', name: null, orgCode: null, role: 'admin', enable: false },
      ]);
      refused('authSync', body({ flag: 0, userList: [{ userName: 'alice', role: 'boss' }] }), 'userList[0].role', /"user" or "admin"/);
    });

    it('still needs the userName', () => {
      refused('authSync', body({ flag: 3, userList: [{ name: 'Alice' }] }), 'userList[0].userName', 'required');
    });
  });

  describe('userName', () => {
    it('is trimmed', () => {
      expect(users([{ ...alice, userName: '  alice@example.com ' }])[0]!.userName).toBe('alice@example.com');
    });

    it('is 1 to 255 characters', () => {
      expect(users([{ ...alice, userName: 'u'.repeat(255) }])[0]!.userName).toHaveLength(255);
      refused('authSync', body({ userList: [{ ...alice, userName: 'u'.repeat(256) }] }), 'userList[0].userName', /at most 255/);
    });

    it('is not only whitespace', () => {
      refused('authSync', body({ userList: [{ ...alice, userName: ' \t ' }] }), 'userList[0].userName', /must not be empty/);
    });

    it.each(['ali\u0000ce', 'ali\nce', 'a\u007f', 'a\u0085b'])('refuses control characters (%j)', (userName) => {
      refused('authSync', body({ userList: [{ ...alice, userName }] }), 'userList[0].userName', /control characters/);
    });

    it('must be a string', () => {
      refused('authSync', body({ userList: [{ ...alice, userName: 12345 }] }), 'userList[0].userName', /must be a string/);
    });
  });

  describe('role', () => {
    it.each([
      ['admin', 'admin'],
      ['ADMIN', 'admin'],
      ['User', 'user'],
      [' user ', 'user'],
    ])('reads %j as %j', (role, expected) => {
      expect(users([{ ...alice, role }])[0]!.role).toBe(expected);
    });

    it.each(['owner', 'administrator', 1, true])('refuses %j', (role) => {
      refused('authSync', body({ userList: [alice, bob, alice, { ...bob, userName: 'carol', role }] }), 'userList[3].role', 'userList[3].role: must be "user" or "admin"');
    });
  });

  describe('enable', () => {
    it.each([
      ['true', true],
      ['false', false],
      ['TRUE', true],
      ['False', false],
      [true, true],
      [false, false],
    ])('reads %j as %j', (enable, expected) => {
      expect(users([{ ...alice, enable }])[0]!.enable).toBe(expected);
    });

    it.each(['yes', '1', 1, 0, 'on'])('refuses %j', (enable) => {
      refused('authSync', body({ userList: [{ ...alice, enable }] }), 'userList[0].enable', /"true" or "false"/);
    });
  });

  describe('optional fields', () => {
    it('keeps position, employeeCode and employeeType (number or digit string)', () => {
      expect(users([{ ...alice, position: ' Engineer ', employeeCode: 'E001', employeeType: 2 }])[0]).toMatchObject({ position: 'Engineer', employeeCode: 'E001', employeeType: 2 });
      expect(users([{ ...alice, employeeType: '4' }])[0]!.employeeType).toBe(4);
    });

    it.each([0, 5, '5', 1.5, 'regular', true])('refuses employeeType %j', (employeeType) => {
      refused('authSync', body({ userList: [{ ...alice, employeeType }] }), 'userList[0].employeeType', /1, 2, 3 or 4/);
    });

    it('leaves absent and empty optional fields out', () => {
      const [user] = users([{ ...alice, position: '', employeeCode: null, employeeType: '', mobile: '', email: '  ' }]);
      expect(Object.keys(user!).sort()).toEqual(['enable', 'name', 'orgCode', 'role', 'userName']);
    });

    it('reads mobile, email, workPlace and entryDate at the top level', () => {
      const extras = { mobile: '13800000000', email: 'alice@example.com', workPlace: 'Shenzhen', entryDate: '2020-01-01' };
      expect(users([{ ...alice, ...extras }])[0]).toMatchObject(extras);
    });

    it('reads them nested in extension, as an object or a JSON string (V1)', () => {
      const extras = { mobile: '13800000000', email: 'alice@example.com', workPlace: 'Shenzhen', entryDate: '2020-01-01' };
      expect(users([{ ...alice, extension: extras }])[0]).toMatchObject(extras);
      expect(users([{ ...alice, extension: JSON.stringify(extras) }])[0]).toMatchObject(extras);
    });

    it('prefers the top level over extension, and treats an empty top-level value as absent', () => {
      const [user] = users([{ ...alice, mobile: '111', email: '', extension: { mobile: '222', email: 'nested@example.com' } }]);
      expect(user).toMatchObject({ mobile: '111', email: 'nested@example.com' });
    });

    describe('V1 nesting under extension: every optional field is kept', () => {
      it.each([
        ['position', 'Engineer', 'Engineer'],
        ['employeeCode', 'E001', 'E001'],
        ['employeeType', '2', 2],
        ['employeeType', 3, 3],
        ['mobile', '13800000000', '13800000000'],
        ['email', 'alice@example.com', 'alice@example.com'],
        ['workPlace', 'Shenzhen', 'Shenzhen'],
        ['entryDate', '2020-01-01', '2020-01-01'],
      ])('keeps extension.%s (%j)', (key, sent, kept) => {
        expect(users([{ ...alice, extension: { [key]: sent } }])[0]).toHaveProperty(key, kept);
        expect(users([{ ...alice, extension: JSON.stringify({ [key]: sent }) }])[0]).toHaveProperty(key, kept);
      });

      it.each([
        ['position', 'Top', 'Nested'],
        ['employeeCode', 'E-top', 'E-nested'],
        ['employeeType', 1, 4],
        ['mobile', '111', '222'],
        ['email', 'top@example.com', 'nested@example.com'],
        ['workPlace', 'Beijing', 'Shenzhen'],
        ['entryDate', '2021-02-02', '2020-01-01'],
      ])('top-level %s wins over extension', (key, top, nested) => {
        expect(users([{ ...alice, [key]: top, extension: { [key]: nested } }])[0]).toHaveProperty(key, top);
      });

      it('falls back to extension when the top-level value is empty', () => {
        const [user] = users([{ ...alice, position: '', employeeType: null, extension: { position: 'Nested', employeeType: '4' } }]);
        expect(user).toMatchObject({ position: 'Nested', employeeType: 4 });
      });

      it('checks nested employeeType as at the top level, naming its path', () => {
        refused('authSync', body({ userList: [{ ...alice, extension: { employeeType: 5 } }] }), 'userList[0].extension.employeeType', /1, 2, 3 or 4/);
        refused('authSync', body({ userList: [{ ...alice, extension: { position: 'p'.repeat(256) } }] }), 'userList[0].extension.position', /at most 255/);
      });
    });

    it('accepts an empty or null extension', () => {
      expect(users([{ ...alice, extension: '' }])[0]).not.toHaveProperty('mobile');
      expect(users([{ ...alice, extension: null }])[0]).not.toHaveProperty('mobile');
    });

    it('refuses an extension that is not an object', () => {
      refused('authSync', body({ userList: [{ ...alice, extension: '[1]' }] }), 'userList[0].extension', /must be a JSON object/);
      refused('authSync', body({ userList: [{ ...alice, extension: 'x' }] }), 'userList[0].extension', /must be a JSON object/);
    });

    it('checks fields inside extension, naming their path', () => {
      refused('authSync', body({ userList: [{ ...alice, extension: { email: 42 } }] }), 'userList[0].extension.email', /must be a string/);
    });

    it('ignores unknown extra user fields', () => {
      const [user] = users([{ ...alice, avatar: 'x', extension: { hobby: 'go' } }]);
      expect(user).not.toHaveProperty('avatar');
      expect(user).not.toHaveProperty('hobby');
      expect(user).not.toHaveProperty('extension');
    });

    it('limits optional text to 255 characters', () => {
      refused('authSync', body({ userList: [{ ...alice, position: 'p'.repeat(256) }] }), 'userList[0].position', /at most 255/);
    });
  });

  it('limits name to 255 and orgCode to 64 characters', () => {
    refused('authSync', body({ userList: [{ ...alice, name: 'n'.repeat(256) }] }), 'userList[0].name', /at most 255/);
    refused('authSync', body({ userList: [{ ...alice, orgCode: 'o'.repeat(65) }] }), 'userList[0].orgCode', /at most 64/);
  });
});
