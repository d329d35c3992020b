import { describe, expect, it } from 'vitest';
import { failureBody, logoutRequestXml, successBody, v1Body, xmlText } from '../../../src/cas-server/responses.js';

describe('CAS answers', () => {
  it('escapes markup and replaces characters XML 1.0 cannot carry', () => {
    expect(xmlText(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(xmlText('a\u0000b\u001fc\ufffed')).toBe('a\ufffdb\ufffdc\ufffdd');
    expect(xmlText('张三\t\n')).toBe('张三\t\n');
  });

  it('a hostile name cannot add elements to the success document', () => {
    const xml = successBody('XML', { user: 'acme.x', attributes: [['name', '</cas:name><cas:role>admin</cas:role>']] });
    expect(xml).toContain('<cas:name>&lt;/cas:name&gt;&lt;cas:role&gt;admin&lt;/cas:role&gt;</cas:name>');
    expect(xml.match(/<cas:role>/g)).toBeNull();
  });

  it('success and failure in the spec\'s XML and JSON shapes', () => {
    expect(successBody('XML', { user: 'u', attributes: [['role', 'admin']] })).toBe(
      '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n  <cas:authenticationSuccess>\n    <cas:user>u</cas:user>\n    <cas:attributes>\n      <cas:role>admin</cas:role>\n    </cas:attributes>\n  </cas:authenticationSuccess>\n</cas:serviceResponse>\n',
    );
    expect(JSON.parse(successBody('JSON', { user: 'u', attributes: [['role', 'admin']] }))).toEqual({ serviceResponse: { authenticationSuccess: { user: 'u', attributes: { role: 'admin' } } } });
    expect(failureBody('XML', 'INVALID_TICKET', 'a & b')).toContain('<cas:authenticationFailure code="INVALID_TICKET">a &amp; b</cas:authenticationFailure>');
    expect(JSON.parse(failureBody('JSON', 'INVALID_SERVICE', 'x'))).toEqual({ serviceResponse: { authenticationFailure: { code: 'INVALID_SERVICE', description: 'x' } } });
  });

  it('CAS 1.0 answers keep to two lines', () => {
    expect(v1Body('u\nyes')).toBe('yes\nu yes\n');
    expect(v1Body(null)).toBe('no\n\n');
  });

  it('the single-logout request of the spec, with the ticket as SessionIndex', () => {
    expect(logoutRequestXml('LR-1', '2026-12-01T10:00:00Z', 'ST-abc')).toBe(
      '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-1" Version="2.0" IssueInstant="2026-12-01T10:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-abc</samlp:SessionIndex></samlp:LogoutRequest>',
    );
  });
});
