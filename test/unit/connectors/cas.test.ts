import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { DOMAIN, casClient, expectCode, useNock, visible } from './helpers.js';

useNock();

const VALIDATE_PATH = '/api/v1/cas/p3/serviceValidate';
const SERVICE = 'https://bridge.example.com/login/cas?tenant=68cbc86abc';
const TICKET = 'ST-1-abcDEF0123456789-cas01';

/** Answers serviceValidate and records the query it was asked. */
function validateEndpoint(status: number, body: string | object, headers: Record<string, string> = {}) {
  const seen: { query?: Record<string, unknown> } = {};
  const scope = nock(DOMAIN)
    .get(VALIDATE_PATH)
    .query((q) => {
      seen.query = q;
      return true;
    })
    .reply(status, typeof body === 'string' ? body : JSON.stringify(body), headers);
  return { seen, scope };
}

const validate = (format?: 'JSON' | 'XML', ticket = TICKET) =>
  casClient().validateServiceTicket(DOMAIN, { service: SERVICE, ticket, ...(format ? { format } : {}) });

const jsonSuccess = {
  serviceResponse: {
    authenticationSuccess: {
      user: 'alice',
      attributes: {
        userName: 'alice',
        name: 'Alice Li',
        tenant: '68cbc86abc',
        role: 'admin',
        organizationCode: 'org-sales',
        authenticationDate: '2024-05-01T08:00:00.000Z',
        isFromNewLogin: true,
      },
    },
  },
};

const xmlSuccess = `<?xml version="1.0" encoding="UTF-8"?>
<!-- issued by the tenant IdP -->
<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>alice</cas:user>
    <cas:attributes>
      <cas:authenticationDate>2024-05-01T08:00:00.000Z</cas:authenticationDate>
      <cas:userName>alice</cas:userName>
      <cas:name>Alice &amp; &quot;Ali&quot; &#x674E;&#26446;</cas:name>
      <cas:tenant>68cbc86abc</cas:tenant>
      <cas:role>ADMIN</cas:role>
      <cas:organizationCode><![CDATA[org<sales>]]></cas:organizationCode>
      <cas:memberOf>group-a</cas:memberOf>
      <cas:memberOf>group-b</cas:memberOf>
    </cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>`;

const xmlFailure = (code: string) => `<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>
  <cas:authenticationFailure code="${code}">Ticket ${TICKET} not recognized</cas:authenticationFailure>
</cas:serviceResponse>`;

const jsonFailure = (code: string) => ({ serviceResponse: { authenticationFailure: { code, description: `Ticket ${TICKET} not recognized` } } });

describe('CAS 3.0 service ticket validation', () => {
  it('asks serviceValidate with the exact service, the ticket and format=JSON by default', async () => {
    const { seen } = validateEndpoint(200, jsonSuccess);
    await validate();
    expect(seen.query).toEqual({ service: SERVICE, ticket: TICKET, format: 'JSON' });
  });

  it('asks for XML when told to', async () => {
    const { seen } = validateEndpoint(200, xmlSuccess);
    await validate('XML');
    expect(seen.query).toMatchObject({ format: 'XML' });
  });

  it('reads a JSON success with its attributes', async () => {
    validateEndpoint(200, jsonSuccess);
    expect(await validate()).toEqual({
      userName: 'alice',
      name: 'Alice Li',
      email: null,
      mobile: null,
      role: 'admin',
      orgCode: 'org-sales',
      orgName: null,
      tenant: '68cbc86abc',
      userId: null,
      authenticationDate: '2024-05-01T08:00:00.000Z',
    });
  });

  it('reads JSON attribute values given as lists', async () => {
    validateEndpoint(200, { serviceResponse: { authenticationSuccess: { user: 'alice', attributes: { userName: ['alice'], tenant: ['t-1', 't-2'] } } } });
    expect(await validate()).toMatchObject({ userName: 'alice', tenant: 't-1', authenticationDate: null });
  });

  it('falls back to the CAS user when no attribute names the user', async () => {
    validateEndpoint(200, { serviceResponse: { authenticationSuccess: { user: 'bob' } } });
    expect((await validate()).userName).toBe('bob');
  });

  it('reads an XML success with namespaces, repeated attributes, entities and CDATA', async () => {
    validateEndpoint(200, xmlSuccess, { 'content-type': 'application/xml' });
    expect(await validate('XML')).toEqual({
      userName: 'alice',
      name: 'Alice & "Ali" 李李',
      email: null,
      mobile: null,
      role: 'admin',
      orgCode: 'org<sales>',
      orgName: null,
      tenant: '68cbc86abc',
      userId: null,
      authenticationDate: '2024-05-01T08:00:00.000Z',
    });
  });

  it('reads XML under any namespace prefix bound to the CAS namespace', async () => {
    const body = `<sso:serviceResponse xmlns:sso="http://www.yale.edu/tp/cas"><sso:authenticationSuccess><sso:user>carol</sso:user></sso:authenticationSuccess></sso:serviceResponse>`;
    validateEndpoint(200, body);
    expect((await validate()).userName).toBe('carol');
  });

  it('tells JSON from XML by the content, not by the format asked', async () => {
    validateEndpoint(200, xmlSuccess);
    expect((await validate('JSON')).userName).toBe('alice');
    validateEndpoint(200, `  \n${JSON.stringify(jsonSuccess)}`);
    expect((await validate('XML')).userName).toBe('alice');
  });

  describe('failures', () => {
    it.each([
      ['JSON', 'INVALID_TICKET', 'cas_invalid_ticket'],
      ['JSON', 'INVALID_SERVICE', 'cas_invalid_service'],
      ['XML', 'INVALID_TICKET', 'cas_invalid_ticket'],
      ['XML', 'INVALID_SERVICE', 'cas_invalid_service'],
      ['JSON', 'UNAUTHORIZED_SERVICE', 'cas_invalid_service'],
      ['XML', 'INVALID_TICKET_SPEC', 'cas_invalid_ticket'],
      ['JSON', 'INVALID_REQUEST', 'cas_invalid_ticket'],
      ['XML', 'SOMETHING_NEW', 'cas_invalid_ticket'],
      ['JSON', 'INTERNAL_ERROR', 'idp_unavailable'],
    ] as const)('maps a %s %s failure to %s, naming the CAS code', async (form, code, expected) => {
      validateEndpoint(200, form === 'JSON' ? jsonFailure(code) : xmlFailure(code));
      const err = await expectCode(validate(form), expected);
      expect(err.message).toContain(code);
      expect(visible(err)).not.toContain(TICKET);
      expect(visible(err)).not.toContain('not recognized');
    });

    it('does not echo a failure code that is not code-shaped', async () => {
      validateEndpoint(200, jsonFailure(`<script>${TICKET}</script>`));
      const err = await expectCode(validate(), 'cas_invalid_ticket');
      expect(err.message).toContain('UNKNOWN');
      expect(visible(err)).not.toContain(TICKET);
    });

    it('reads a failure sent with a 4xx status', async () => {
      validateEndpoint(400, xmlFailure('INVALID_TICKET'));
      await expectCode(validate(), 'cas_invalid_ticket');
    });

    it('maps a 4xx without a CAS body to idp_bad_response', async () => {
      validateEndpoint(404, '<html><body>Not Found</body></html>');
      await expectCode(validate(), 'idp_bad_response');
    });

    it('maps a 5xx to idp_unavailable and a redirect to idp_bad_response', async () => {
      validateEndpoint(503, 'busy');
      await expectCode(validate(), 'idp_unavailable');
      validateEndpoint(302, '');
      await expectCode(validate(), 'idp_bad_response');
    });

    it.each([
      ['text that is neither JSON nor XML', 'yes\nalice\n'],
      ['malformed JSON', '{"serviceResponse":'],
      ['JSON without serviceResponse', '{"user":"alice"}'],
      ['JSON with neither success nor failure', '{"serviceResponse":{}}'],
      ['a JSON success without user', '{"serviceResponse":{"authenticationSuccess":{"attributes":{"userName":"a"}}}}'],
      ['an XML success without cas:user', '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess/></cas:serviceResponse>'],
      ['an unknown XML root', '<html xmlns="http://www.w3.org/1999/xhtml"><body>login</body></html>'],
      ['serviceResponse outside the CAS namespace', '<serviceResponse><authenticationSuccess><user>a</user></authenticationSuccess></serviceResponse>'],
      ['an empty body', ''],
    ])('refuses %s with idp_bad_response', async (_what, body) => {
      validateEndpoint(200, body);
      await expectCode(validate(), 'idp_bad_response');
    });
  });

  describe('ticket syntax is checked before any network call', () => {
    it.each([
      ['a ticket without ST-', 'PT-1-abc'],
      ['an empty ticket', ''],
      ['a bare prefix', 'ST-'],
      ['a ticket with other characters', 'ST-1-abc&service=https://evil.example.com'],
      ['a ticket with spaces', 'ST-1 abc'],
      ['a ticket over 256 characters', `ST-${'a'.repeat(254)}`],
      ['a lower-case prefix', 'st-1-abc'],
    ])('refuses %s with cas_invalid_ticket', async (_what, ticket) => {
      const { scope } = validateEndpoint(200, jsonSuccess);
      await expectCode(validate(undefined, ticket), 'cas_invalid_ticket');
      expect(scope.isDone()).toBe(false);
    });

    it('accepts a ticket of exactly 256 characters', async () => {
      validateEndpoint(200, jsonSuccess);
      expect((await validate(undefined, `ST-${'a'.repeat(253)}`)).userName).toBe('alice');
    });

    it('refuses an empty service with cas_invalid_service', async () => {
      const { scope } = validateEndpoint(200, jsonSuccess);
      await expectCode(casClient().validateServiceTicket(DOMAIN, { service: ' ', ticket: TICKET }), 'cas_invalid_service');
      expect(scope.isDone()).toBe(false);
    });
  });
});
