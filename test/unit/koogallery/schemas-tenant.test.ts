import { describe, expect, it } from 'vitest';
import { INSECURE, parse, refused } from './schema-helpers.js';
import { KIT_BODY } from './spec-vectors.js';

// The spec's example body (§2 test vector).
const add = KIT_BODY;

describe('tenantSync (spec §5.1)', () => {
  it('normalizes the documented example', () => {
    expect(parse('tenantSync', add)).toEqual({
      instanceId: 'huaweitest123456',
      orderId: 'CS1906666666ABCDE',
      tenantId: '68cbc86abc',
      tenantCode: 'huawei',
      name: 'huaweitest',
      domainName: 'https://example.tenantaccount.com',
      domainNameRaw: 'https://example.tenantaccount.com',
      domainProblem: null,
      flag: 1,
      testFlag: 0,
      timeStamp: '20220413093539534',
    });
  });

  it('accepts an add during the seller\'s own credential application (no instanceId, no orderId)', () => {
    expect(parse('tenantSync', { ...add, instanceId: '', orderId: undefined })).toMatchObject({ instanceId: '', orderId: '' });
  });

  it('trims text fields', () => {
    expect(parse('tenantSync', { ...add, tenantCode: ' huawei ', name: '  Huawei 华为 ' })).toMatchObject({ tenantCode: 'huawei', name: 'Huawei 华为' });
  });

  describe('an add needs the whole tenant, a modify name and domain', () => {
    it.each([1, 2])('flag %i with every field is accepted', (flag) => {
      expect(parse('tenantSync', { ...add, flag }).flag).toBe(flag);
    });

    it.each(['tenantCode', 'name', 'domainName'])('flag 1 refuses a missing %s', (field) => {
      refused('tenantSync', { ...add, [field]: undefined }, field, `${field}: required`);
      refused('tenantSync', { ...add, [field]: null }, field, `${field}: required`);
      refused('tenantSync', { ...add, [field]: '  ' }, field, `${field}: must not be empty`);
    });

    it.each(['name', 'domainName'])('flag 2 refuses a missing %s', (field) => {
      refused('tenantSync', { ...add, flag: 2, [field]: null }, field, `${field}: required`);
    });

    it('flag 2 may leave tenantCode out ("name and domain only"), still checked when present', () => {
      expect(parse('tenantSync', { ...add, flag: 2, tenantCode: undefined }).tenantCode).toBeNull();
      expect(parse('tenantSync', { ...add, flag: '2', tenantCode: '' }).tenantCode).toBeNull();
      refused('tenantSync', { ...add, flag: 2, tenantCode: 'c'.repeat(65) }, 'tenantCode', /at most 64/);
    });

    it('tenantCode is at most 64 characters', () => {
      expect(parse('tenantSync', { ...add, tenantCode: 'c'.repeat(64) }).tenantCode).toHaveLength(64);
      refused('tenantSync', { ...add, tenantCode: 'c'.repeat(65) }, 'tenantCode', /at most 64/);
    });

    it('name is at most 255 characters', () => {
      expect(parse('tenantSync', { ...add, name: '名'.repeat(255) }).name).toHaveLength(255);
      refused('tenantSync', { ...add, name: 'n'.repeat(256) }, 'name', /at most 255/);
    });

    it('tenantId is required', () => {
      refused('tenantSync', { ...add, tenantId: undefined }, 'tenantId', 'tenantId: required');
    });
  });

  describe('delete needs only the tenantId', () => {
    it('accepts { tenantId, flag: 0 }', () => {
      expect(parse('tenantSync', { tenantId: '68cbc86abc', flag: 0 })).toEqual({
        instanceId: '',
        orderId: '',
        tenantId: '68cbc86abc',
        tenantCode: null,
        name: null,
        domainName: null,
        domainNameRaw: null,
        domainProblem: null,
        flag: 0,
        testFlag: 0,
        timeStamp: null,
      });
    });

    it('keeps the other fields when present, still checked', () => {
      expect(parse('tenantSync', { ...add, flag: 0 }).domainName).toBe('https://example.tenantaccount.com');
      refused('tenantSync', { tenantId: 't', flag: 0, name: 'n'.repeat(256) }, 'name', /at most 255/);
    });

    it('still needs the tenantId', () => {
      refused('tenantSync', { flag: 0 }, 'tenantId', 'tenantId: required');
    });
  });

  describe('domainName', () => {
    const domain = (domainName: unknown, opts = undefined as typeof INSECURE | undefined) =>
      parse('tenantSync', { ...add, domainName }, opts).domainName;

    it('removes a trailing slash and keeps a path', () => {
      expect(domain('https://idp.example.com/')).toBe('https://idp.example.com');
      expect(domain('https://idp.example.com/tenant/a/')).toBe('https://idp.example.com/tenant/a');
      expect(domain('https://idp.example.com/tenant')).toBe('https://idp.example.com/tenant');
    });

    it('normalizes the origin (case, default port) and keeps another port', () => {
      expect(domain('HTTPS://IdP.Example.COM:443/')).toBe('https://idp.example.com');
      expect(domain('https://idp.example.com:8443')).toBe('https://idp.example.com:8443');
    });

    it('is at most 255 characters', () => {
      refused('tenantSync', { ...add, domainName: `https://idp.example.com/${'p'.repeat(240)}` }, 'domainName', /at most 255/);
    });

    it.each(['/api/v1', '//idp.example.com', 'https://', 'https:idp', 'https:\\\\idp.example.com', 'https://idp.example.com\\x', 'not a url', 'ftp://idp.example.com', 'javascript:alert(1)', 'file:///etc/passwd', 'file:/etc/passwd', 'mailto:admin@idp.example.com', 'data:text/html,x'])(
      'refuses %j, which is not an absolute https URL',
      (value) => {
        refused('tenantSync', { ...add, domainName: value }, 'domainName', /https:\/\//);
      },
    );

    it('refuses non-http schemes even when insecure IdPs are allowed', () => {
      refused('tenantSync', { ...add, domainName: 'ftp://idp.example.com' }, 'domainName', /https:\/\//, INSECURE);
    });

    it.each(['https://user:pass@idp.example.com', 'https://user@idp.example.com'])('refuses credentials (%s)', (value) => {
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /credentials/);
    });

    it.each(['https://idp.example.com/?a=1', 'https://idp.example.com?', 'https://idp.example.com/#x', 'https://idp.example.com#'])(
      'refuses a query or a fragment (%s)',
      (value) => {
        refused('tenantSync', { ...add, domainName: value }, 'domainName', /query or a fragment/);
      },
    );

    it('refuses http:// unless KOO_ALLOW_INSECURE_IDP=1, saying it is for development only', () => {
      refused('tenantSync', { ...add, domainName: 'http://idp.example.com' }, 'domainName', /KOO_ALLOW_INSECURE_IDP=1.*development only/);
      expect(domain('http://idp.example.com/', INSECURE)).toBe('http://idp.example.com');
    });

    it.each([
      'https://localhost',
      'https://LOCALHOST:8443/idp',
      'https://idp.localhost',
      'https://localhost.',
      'https://127.0.0.1',
      'https://127.8.9.10',
      'https://2130706433', // 127.0.0.1 written as one number
      'https://0x7f.1',
      'https://10.1.2.3',
      'https://172.16.0.1',
      'https://172.31.255.255',
      'https://192.168.1.1',
      'https://169.254.169.254', // cloud metadata
      'https://0.0.0.0',
      'https://[::1]',
      'https://[::]',
      'https://[fc00::1]',
      'https://[fd12:3456::1]',
      'https://[fe80::1]',
      'https://[::ffff:127.0.0.1]',
      'https://[::ffff:10.0.0.1]',
    ])('refuses the loopback or private host %s unless KOO_ALLOW_INSECURE_IDP=1', (value) => {
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /private.*KOO_ALLOW_INSECURE_IDP=1.*development only/);
      expect(domain(value, INSECURE)).toMatch(/^https:\/\//);
    });

    it.each(['https://172.15.0.1', 'https://172.32.0.1', 'https://11.0.0.1', 'https://[2001:db8::1]', 'https://8.8.8.8', 'https://localhost.example.com'])(
      'accepts the public host %s',
      (value) => {
        expect(domain(value)).toBe(value);
      },
    );

    it('accepts an internationalized domain name, in its ASCII form', () => {
      expect(domain('https://例子.中国/')).toBe('https://xn--fsqu00a.xn--fiqs8s');
    });

    it('a usable domainName has no problem and keeps the value as received', () => {
      const out = parse('tenantSync', { ...add, domainName: ' HTTPS://IdP.Example.COM/tenant/ ' });
      expect(out).toMatchObject({ domainName: 'https://idp.example.com/tenant', domainNameRaw: 'HTTPS://IdP.Example.COM/tenant/', domainProblem: null });
    });
  });

  describe('domainName from interface debugging (spec §5 "Debugging"): kept, never usable', () => {
    const unusable = (domainName: string, opts = undefined as typeof INSECURE | undefined) =>
      parse('tenantSync', { ...add, domainName }, opts);

    it('accepts the captured debug body\'s host without a scheme, with domainName null and the reason', () => {
      const out = parse('tenantSync', { ...add, domainName: 'example.tenantaccount.com', testFlag: 1 });
      expect(out).toMatchObject({ tenantId: '68cbc86abc', flag: 1, testFlag: 1, domainName: null, domainNameRaw: 'example.tenantaccount.com' });
      expect(out.domainProblem).toMatch(/no https:\/\/ scheme/);
      expect(out.domainProblem).toMatch(/interface debugging/);
      expect(out.domainProblem).toMatch(/cannot sign in until a usable https domain arrives/);
    });

    it('accepts it in production data too (testFlag 0) and on a modify', () => {
      expect(unusable('example.tenantaccount.com').domainName).toBeNull();
      const modified = parse('tenantSync', { ...add, flag: 2, tenantCode: undefined, domainName: 'example.tenantaccount.com' });
      expect(modified).toMatchObject({ flag: 2, domainName: null, domainNameRaw: 'example.tenantaccount.com' });
      expect(modified.domainProblem).not.toBeNull();
    });

    it.each(['idp.example.com', 'idp.example.com/', 'idp.example.com:8443', 'idp.example.com:8443/tenant/a', '8.8.8.8', '[2001:db8::1]:8443', '例子.中国', 'single-label'])(
      'keeps the plain host %j as received, unusable',
      (value) => {
        const out = unusable(value);
        expect(out.domainName).toBeNull();
        expect(out.domainNameRaw).toBe(value);
        expect(out.domainProblem).toMatch(/no https:\/\/ scheme/);
      },
    );

    it('never guesses https://, even when insecure IdPs are allowed', () => {
      expect(unusable('idp.example.com', INSECURE)).toMatchObject({ domainName: null, domainNameRaw: 'idp.example.com' });
      expect(unusable('localhost', INSECURE)).toMatchObject({ domainName: null, domainNameRaw: 'localhost' });
    });

    it.each(['localhost', 'idp.localhost', '127.0.0.1', '127.0.0.1:8443/idp', '10.1.2.3', '192.168.1.1:80', '169.254.169.254', '[::1]', '[fd12:3456::1]:8443', '2130706433'])(
      'still refuses the loopback or private host %j unless KOO_ALLOW_INSECURE_IDP=1',
      (value) => {
        refused('tenantSync', { ...add, domainName: value }, 'domainName', /private.*KOO_ALLOW_INSECURE_IDP=1.*development only/);
      },
    );

    it.each(['user@idp.example.com', 'user:pw@idp.example.com:8443'])('still refuses credentials (%s)', (value) => {
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /credentials|https:\/\//);
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /credentials|https:\/\//, INSECURE);
    });

    it.each(['idp.example.com/?a=1', 'idp.example.com?', 'idp.example.com#x', 'idp.example.com:8443#'])('still refuses a query or a fragment (%s)', (value) => {
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /query or a fragment/);
    });

    it.each([
      'javascript:1',
      'javascript:1/alert(1)',
      'JavaScript:alert(1)',
      'vbscript:msgbox(1)',
      'data:1',
      'localhost:8443',
      'idp.example.com\\evil',
      'idp example.com',
      'idp.example.com:',
      'idp.example.com:8443@evil.example',
      'idp.example.com:99999',
    ])('still refuses %j, which is neither a plain host nor an https URL', (value) => {
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /https:\/\//);
      refused('tenantSync', { ...add, domainName: value }, 'domainName', /https:\/\//, INSECURE);
    });

    it('is still at most 255 characters', () => {
      refused('tenantSync', { ...add, domainName: `idp.example.com/${'p'.repeat(240)}` }, 'domainName', /at most 255/);
    });
  });
});
