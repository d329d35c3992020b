import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, tenantBody, type TestBridge } from '../support/bridge.js';

/** Path parameters of the admin API pass the edge guard before any store key is built from them. */
describe('admin API path parameters', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend: 'redis' });
    await bridge.sender.send('tenantSync', tenantBody());
  });
  afterAll(() => bridge.close());

  it.each([
    ['a tenant id with a Cluster hash-tag brace', '/tenants/%7Bacme%7D', 'tenantId'],
    ['a tenant id with a space', '/tenants/ac%20me/users', 'tenantId'],
    ['a tenant id longer than 64 characters', `/tenants/${'a'.repeat(65)}/orgs`, 'tenantId'],
    ['a user name with a control character', '/tenants/acme/users/zhang%0Asan/sessions', 'userName'],
    ['a user name with surrounding blanks', '/tenants/acme/users/%20zhang.san/sessions', 'userName'],
  ])('refuses %s with 400 invalid_parameter naming the field, and writes nothing', async (_name, path, field) => {
    const before = await bridge.snapshot();
    const method = path.endsWith('/sessions') ? 'DELETE' : 'GET';
    const res = await bridge.admin(path, { method });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_parameter', details: { field } });
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: is not a valid`));
    expect(await bridge.snapshot()).toEqual(before);
  });

  it('refuses a cursor it did not hand out', async () => {
    const res = await bridge.admin('/tenants?cursor=bm90LWEtY3Vyc29y!');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_parameter', message: 'cursor: not a cursor returned by this API', details: { field: 'cursor' } });
  });

  it('still answers valid parameters', async () => {
    expect((await bridge.admin('/tenants/acme')).status).toBe(200);
    expect((await bridge.admin('/tenants/acme/users/zhang.san/sessions', { method: 'DELETE' })).body).toEqual({ revoked: 0 });
  });
});
