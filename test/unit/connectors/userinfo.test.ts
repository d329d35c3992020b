import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { normalizeUser, ONEACCESS_DIALECT, type UserinfoDialect } from '../../../src/connectors/userinfo-dialects.js';
import { createOAuth2Client } from '../../../src/connectors/oauth2/client.js';
import { DOMAIN, oauth2Client, expectCode, useNock, visible } from './helpers.js';

useNock();

const USERINFO_PATH = '/api/v1/oauth2/userinfo';
const ACCESS = 'access-token-xyz';

const oneAccess = {
  id: '20210621095935811-5E16',
  userId: 'u-1001',
  userName: 'alice',
  name: 'Alice Li',
  email: 'alice@tenant.example',
  mobile: '+86 13800000000',
  role: 'admin',
  organizationName: 'Sales',
  organizationCode: 'org-sales',
  projectName: 'ignored',
  tenant: '68cbc86abc',
};

describe('userinfo call', () => {
  it('sends the access token as a Bearer and asks for JSON', async () => {
    let headers: Record<string, unknown> | undefined;
    nock(DOMAIN)
      .get(USERINFO_PATH)
      .reply(function () {
        headers = this.req.headers;
        return [200, oneAccess];
      });
    await oauth2Client().userinfo(DOMAIN, ACCESS);
    expect(headers).toMatchObject({ authorization: `Bearer ${ACCESS}`, accept: 'application/json' });
  });

  it('normalizes the OneAccess camelCase answer', async () => {
    nock(DOMAIN).get(USERINFO_PATH).reply(200, oneAccess);
    expect(await oauth2Client().userinfo(DOMAIN, ACCESS)).toEqual({
      userName: 'alice',
      name: 'Alice Li',
      email: 'alice@tenant.example',
      mobile: '+86 13800000000',
      role: 'admin',
      orgCode: 'org-sales',
      orgName: 'Sales',
      tenant: '68cbc86abc',
      userId: 'u-1001',
    });
  });

  it('normalizes the Huawei OrgID snake_case answer', async () => {
    nock(DOMAIN)
      .get(USERINFO_PATH)
      .reply(200, { user_id: 77, user_name: 'bob', name: 'Bob', email: 'bob@x.example', org_code: 'rd', org_name: 'R&D', tenant_name: 'Acme', tenant_id: 't-9', role: 'USER' });
    expect(await oauth2Client().userinfo(DOMAIN, ACCESS)).toEqual({
      userName: 'bob',
      name: 'Bob',
      email: 'bob@x.example',
      mobile: null,
      role: 'user',
      orgCode: 'rd',
      orgName: 'R&D',
      tenant: 't-9',
      userId: '77',
    });
  });

  it('refuses an answer without any userName with idp_bad_response', async () => {
    nock(DOMAIN).get(USERINFO_PATH).reply(200, { name: 'Nobody', email: 'n@x.example' });
    const err = await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_bad_response');
    expect(err.message).toBe('userinfo has no userName');
  });

  it.each([
    [401, { error: 'unauthorized', error_description: 'token expired' }],
    [401, ''],
    [403, { error: 'insufficient_scope' }],
    [400, { error: 'invalid_token' }],
    [200, { error: 'unauthorized' }],
  ])('maps HTTP %s %j to idp_unauthorized', async (status, body) => {
    nock(DOMAIN).get(USERINFO_PATH).reply(status, body);
    const err = await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_unauthorized');
    expect(visible(err)).not.toContain(ACCESS);
  });

  it.each([500, 503])('maps HTTP %s to idp_unavailable', async (status) => {
    nock(DOMAIN).get(USERINFO_PATH).reply(status, 'down');
    await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_unavailable');
  });

  it('refuses a redirect (e.g. to a login page) with idp_bad_response', async () => {
    nock(DOMAIN).get(USERINFO_PATH).reply(302, '', { location: '/login' });
    const err = await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_bad_response');
    expect(err.message).toMatch(/^IdP answered with a redirect/);
  });

  it.each([['malformed JSON', '{"userName":'], ['a JSON string', '"alice"'], ['HTML', '<html/>']])(
    'refuses a 200 answer that is %s',
    async (_what, body) => {
      nock(DOMAIN).get(USERINFO_PATH).reply(200, body);
      await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_bad_response');
    },
  );

  it('maps other 4xx answers to idp_bad_response', async () => {
    nock(DOMAIN).get(USERINFO_PATH).reply(404, 'not here');
    await expectCode(oauth2Client().userinfo(DOMAIN, ACCESS), 'idp_bad_response');
  });

  it('uses the dialects it is given', async () => {
    const custom: UserinfoDialect = { ...ONEACCESS_DIALECT, name: 'custom', keys: { ...ONEACCESS_DIALECT.keys, userName: ['uid'] } };
    nock(DOMAIN).get(USERINFO_PATH).reply(200, { uid: 'carol' });
    const c = createOAuth2Client({ timeoutMs: 1000, allowInsecure: false, dialects: [custom] });
    expect((await c.userinfo(DOMAIN, ACCESS)).userName).toBe('carol');
  });
});

describe('userinfo normalization', () => {
  it.each([
    [{ accName: 'acc-alice' }, 'acc-alice'],
    [{ loginName: 'login-alice' }, 'login-alice'],
    [{ userName: '', accName: 'acc-alice' }, 'acc-alice'],
    [{ userName: '  alice  ' }, 'alice'],
    [{ userName: ['alice', 'other'] }, 'alice'],
    [{ user_name: 'snake-alice', login_name: 'x' }, 'snake-alice'],
  ])('finds userName in %j', (raw, expected) => {
    expect(normalizeUser(raw).userName).toBe(expected);
  });

  it.each([
    ['admin', 'admin'],
    ['ADMIN', 'admin'],
    [' User ', 'user'],
    ['superuser', null],
    [1, null],
    [undefined, null],
  ])('normalizes role %j to %j', (role, expected) => {
    expect(normalizeUser({ userName: 'a', role }).role).toBe(expected);
  });

  it('prefers userId over id, and accepts id alone', () => {
    expect(normalizeUser({ userName: 'a', id: 'i', userId: 'u' }).userId).toBe('u');
    expect(normalizeUser({ userName: 'a', id: 'i' }).userId).toBe('i');
  });

  it('prefers tenant_id over tenant_name in the snake_case dialect', () => {
    expect(normalizeUser({ user_name: 'a', tenant_name: 'Acme' }).tenant).toBe('Acme');
    expect(normalizeUser({ user_name: 'a', tenant_name: 'Acme', tenant_id: 't-1' }).tenant).toBe('t-1');
  });

  it('treats blank, object and boolean values as absent', () => {
    expect(normalizeUser({ userName: 'a', email: ' ', name: { first: 'x' }, mobile: true })).toMatchObject({ email: null, name: null, mobile: null });
  });

  it('uses the fallback userName only when no key names the user', () => {
    expect(normalizeUser({}, { fallbackUserName: 'cas-user' }).userName).toBe('cas-user');
    expect(normalizeUser({ userName: 'attr-user' }, { fallbackUserName: 'cas-user' }).userName).toBe('attr-user');
  });

  it('does not read inherited properties', () => {
    expect(() => normalizeUser(Object.create({ userName: 'proto' }))).toThrow('userinfo has no userName');
  });
});
