import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../../src/shared/errors.js';
import { parseXml } from '../../../src/connectors/cas/xml.js';
import { DOMAIN, casClient, expectCode, useNock } from './helpers.js';

useNock();

const CAS = 'http://www.yale.edu/tp/cas';
const ok = `<cas:serviceResponse xmlns:cas="${CAS}"><cas:authenticationSuccess><cas:user>alice</cas:user></cas:authenticationSuccess></cas:serviceResponse>`;

function refusal(xml: string): string {
  try {
    parseXml(xml);
  } catch (err) {
    expect(err).toBeInstanceOf(KbError);
    expect((err as KbError).code).toBe('idp_bad_response');
    return (err as KbError).message;
  }
  throw new Error('the document was accepted');
}

const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<cas:serviceResponse xmlns:cas="${CAS}"><cas:authenticationSuccess><cas:user>&lol3;</cas:user></cas:authenticationSuccess></cas:serviceResponse>`;

const externalEntity = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<cas:serviceResponse xmlns:cas="${CAS}"><cas:authenticationSuccess><cas:user>&xxe;</cas:user></cas:authenticationSuccess></cas:serviceResponse>`;

describe('the CAS XML reader refuses hostile documents', () => {
  it.each([
    ['a DOCTYPE', `<!DOCTYPE cas:serviceResponse>${ok}`],
    ['a DOCTYPE with an internal ENTITY', `<!DOCTYPE x [<!ENTITY a "b">]>${ok}`],
    ['an external SYSTEM entity (XXE)', externalEntity],
    ['an external PUBLIC DTD', `<!DOCTYPE x PUBLIC "-//X//DTD X//EN" "http://evil.example.com/x.dtd">${ok}`],
    ['billion laughs', billionLaughs],
    ['a bare ENTITY declaration', `<!ENTITY a "b">${ok}`],
    ['an ENTITY declaration inside an element', `<cas:serviceResponse xmlns:cas="${CAS}"><!ENTITY a "b"></cas:serviceResponse>`],
    ['a processing instruction', `<?xml-stylesheet href="x.xsl"?>${ok}`],
    ['a processing instruction inside the root', `<cas:serviceResponse xmlns:cas="${CAS}"><?php echo 1; ?></cas:serviceResponse>`],
    ['an XML declaration that is not first', `${ok}<?xml version="1.0"?>`],
  ])('refuses %s', (_what, xml) => {
    expect(refusal(xml)).toMatch(/^CAS answer is not acceptable XML/);
  });

  it('refuses entity references other than the predefined five and numeric ones', () => {
    expect(refusal(`<a>&nbsp;</a>`)).toMatch(/predefined entities/);
    expect(refusal(`<a>&lol3;</a>`)).toMatch(/predefined entities/);
    expect(refusal(`<a b="&x;"/>`)).toMatch(/predefined entities/);
  });

  it.each([
    ['a bare ampersand', '<a>fish & chips</a>'],
    ['a reference to NUL', '<a>&#0;</a>'],
    ['a reference to a surrogate', '<a>&#xD800;</a>'],
    ['a reference beyond Unicode', '<a>&#x110000;</a>'],
    ['mismatched tags', '<a><b></a></b>'],
    ['an unclosed element', '<a><b></b>'],
    ['two roots', '<a/><b/>'],
    ['text outside the root', 'hello<a/>'],
    ['an unquoted attribute', '<a b=c/>'],
    ['a repeated attribute', '<a b="1" b="2"/>'],
    ['< inside an attribute', '<a b="<"/>'],
    ['an undeclared prefix', '<cas:a/>'],
    ['an unterminated comment', '<a><!-- x </a>'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>'],
    ['a malformed XML declaration', '<?xml version="2.0" foo="bar"?><a/>'],
    ['an empty document', '   '],
    ['nesting deeper than any CAS answer', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`],
  ])('refuses %s as not well-formed', (_what, xml) => {
    refusal(xml);
  });
});

describe('the CAS XML reader reads the CAS shape', () => {
  it('resolves prefixes and default namespaces', () => {
    const root = parseXml(`<r xmlns="urn:d" xmlns:p="urn:p"><p:x/><y/></r>`);
    expect(root).toMatchObject({ ns: 'urn:d', local: 'r' });
    expect(root.children.map((c) => [c.ns, c.local])).toEqual([['urn:p', 'x'], ['urn:d', 'y']]);
  });

  it('decodes the predefined entities and numeric references in text and attributes', () => {
    const root = parseXml(`<a t="&lt;&gt;&amp;&quot;&apos;&#65;&#x42;">&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;</a>`);
    expect(root.attrs.t).toBe(`<>&"'AB`);
    expect(root.text).toBe(`<>&"'AB😀`);
  });

  it('accepts a BOM, a declaration, comments and whitespace around the root', () => {
    const root = parseXml(`\uFEFF<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n<!-- c --><a>x<!-- inner --></a>\n<!-- after -->\n`);
    expect(root).toMatchObject({ local: 'a', text: 'x' });
  });

  it('keeps an attribute named __proto__ as a plain attribute', () => {
    const root = parseXml(`<a __proto__="x"/>`);
    expect(root.attrs['__proto__']).toBe('x');
    expect(Object.getPrototypeOf(root.attrs)).toBeNull();
  });
});

describe('hostile CAS answers reach no one', () => {
  it.each([['DOCTYPE', `<!DOCTYPE x>${ok}`], ['external entity', externalEntity], ['billion laughs', billionLaughs]])(
    'validateServiceTicket refuses a %s answer with idp_bad_response',
    async (_what, body) => {
      nock(DOMAIN).get('/api/v1/cas/p3/serviceValidate').query(true).reply(200, body);
      await expectCode(
        casClient().validateServiceTicket(DOMAIN, { service: 'https://bridge.example.com/cas', ticket: 'ST-1-abc', format: 'XML' }),
        'idp_bad_response',
      );
    },
  );
});
