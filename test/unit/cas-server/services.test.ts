import { describe, expect, it } from 'vitest';
import { findService, loadServices, parseServices } from '../../../src/cas-server/services.js';

const refusal = (services: unknown) => {
  try {
    parseServices(services);
  } catch (err) {
    return (err as Error).message;
  }
  return null;
};

describe('CAS_SERVICES_FILE', () => {
  it('reads exact and prefix services with their defaults', () => {
    const [exact, prefix] = parseServices([
      { id: 'wiki', service: 'https://wiki.example.com/login?x=1' },
      { id: 'crm', service_prefix: 'https://apps.example.com/crm', allowed_tenants: ['acme'], attributes: ['userName'], user: 'userName', logout_url: 'http://crm.internal/slo', single_logout: false },
    ]);
    expect(exact).toMatchObject({ id: 'wiki', name: 'wiki', exact: 'https://wiki.example.com/login?x=1', prefix: null, allowedTenants: null, user: 'sub', logoutUrl: null, singleLogout: true });
    expect(exact!.attributes).toContain('tenant_id');
    expect(prefix).toMatchObject({ prefix: { origin: 'https://apps.example.com', path: '/crm/' }, allowedTenants: ['acme'], attributes: ['userName'], user: 'userName', logoutUrl: 'http://crm.internal/slo', singleLogout: false });
  });

  it.each([
    [{ id: 'a' }, 'service "a": service: give exactly one of service (an exact URL) and service_prefix'],
    [{ id: 'a', service: 'https://a.example/', service_prefix: 'https://a.example/' }, 'give exactly one'],
    [{ id: 'a', service: 'http://a.example/' }, 'service "a": service: must be https (http only on localhost, 127.0.0.1 or [::1])'],
    [{ id: 'a', service_prefix: 'https://a.example/x?y=1' }, 'service_prefix: must be an origin or an origin and a path, without query or fragment'],
    [{ id: 'a', service: 'https://a.example/#x' }, 'must not contain a fragment'],
    [{ id: 'a', service: 'https://u:p@a.example/' }, 'must not carry a user name or password'],
    [{ id: 'a', service: 'ftp://a.example/' }, 'must be an http(s) URL'],
    [{ id: 'a', service: 'https://a.example/', user: 'userName' }, 'user: "userName" needs exactly one allowed tenant'],
    [{ id: 'a', service: 'https://a.example/', allowed_tenants: [] }, 'allowed_tenants: must list at least one tenant id'],
    [{ id: 'a', service: 'https://a.example/', allowed_tenants: ['bad id'] }, 'allowed_tenants #1: is not a valid tenant id'],
    [{ id: 'a', service: 'https://a.example/', attributes: ['password'] }, 'attributes #1: must be one of'],
    [{ id: 'a', service: 'https://a.example/', secret: 'x' }, 'unknown field secret'],
    [{ id: 'a b', service: 'https://a.example/' }, 'id: must be 1 to 64 letters'],
    [{ service: 'https://a.example/' }, 'service #1: id: is required'],
  ])('refuses %j naming the service and field', (entry, message) => {
    expect(refusal([entry])).toContain(message);
    expect(refusal([entry])).toMatch(/^CAS_SERVICES_FILE: /);
  });

  it('refuses an id listed twice, and a file that is no array', () => {
    expect(refusal([{ id: 'a', service: 'https://a.example/' }, { id: 'a', service: 'https://b.example/' }])).toBe('CAS_SERVICES_FILE: service "a": id: is listed twice');
    expect(refusal({ id: 'a' })).toContain('must hold a JSON array of services');
  });

  it('a missing default file means no services; a named file must exist; bad JSON stops start-up without quoting it', () => {
    const none = { readFile: () => '', exists: () => false };
    expect(loadServices('config/cas-services.json', false, none)).toEqual([]);
    expect(() => loadServices('x.json', true, { readFile: () => { throw Object.assign(new Error('no'), { code: 'ENOENT' }); }, exists: () => false })).toThrow('CAS_SERVICES_FILE: x.json does not exist');
    expect(() => loadServices('x.json', true, { readFile: () => '[{"id": "a", "secret"', exists: () => true })).toThrow(/^CAS_SERVICES_FILE: x.json is not valid JSON$/);
  });

  it('the example file in config/ is valid', () => {
    expect(loadServices('config/cas-services.example.json', true).length).toBeGreaterThan(0);
  });

  describe('findService', () => {
    const services = parseServices([
      { id: 'exact', service: 'https://wiki.example.com/login?x=1' },
      { id: 'crm', service_prefix: 'https://apps.example.com/crm/' },
      { id: 'dev', service_prefix: 'http://127.0.0.1:8080' },
    ]);
    const id = (url: string) => findService(services, url)?.id ?? null;

    it.each([
      ['https://wiki.example.com/login?x=1', 'exact'],
      ['https://wiki.example.com/login?x=2', null],
      ['https://wiki.example.com/login?x=1&y', null],
      ['https://apps.example.com/crm', 'crm'],
      ['https://apps.example.com/crm/a/b?c=d', 'crm'],
      ['https://apps.example.com/crmevil', null],
      ['https://apps.example.com/crm/../admin', null],
      ['https://apps.example.com/crm/%2e%2e/admin', null],
      ['https://apps.example.com.evil.example/crm/', null],
      ['https://evil.example/https://apps.example.com/crm/', null],
      ['https://apps.example.com@evil.example/crm/', null],
      ['https://apps.example.com:8443/crm/', null],
      ['http://apps.example.com/crm/', null],
      ['//apps.example.com/crm/', null],
      ['https:\\\\apps.example.com/crm/', null],
      ['https://apps.example.com/crm/#frag', null],
      ['http://127.0.0.1:8080/anything', 'dev'],
      ['http://127.0.0.1:8081/anything', null],
    ])('%s → %s', (url, expected) => {
      expect(id(url)).toBe(expected);
    });

    it('answers are kept per list of services: the same URL in another list gets that list\'s answer', () => {
      const url = 'https://apps.example.com/crm/page';
      expect(id(url)).toBe('crm');
      const others = parseServices([{ id: 'other', service_prefix: 'https://apps.example.com/' }]);
      expect(findService(others, url)?.id).toBe('other');
      expect(findService(parseServices([]), url)).toBeNull();
      expect(id(url)).toBe('crm');
    });

    it('stays right past the kept answers (the memo empties) and for URLs too long to keep', () => {
      for (let i = 0; i < 1_200; i++) expect(id(`https://apps.example.com/crm/${i}`)).toBe('crm');
      expect(id('https://apps.example.com/crmevil')).toBeNull();
      const long = `https://apps.example.com/crm/${'a'.repeat(5_000)}`;
      expect(id(long)).toBe('crm');
      expect(id(`https://apps.example.com.evil.example/${'a'.repeat(5_000)}`)).toBeNull();
    });
  });
});
