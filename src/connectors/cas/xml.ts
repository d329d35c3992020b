/**
 * A small, strict XML reader for CAS 3.0 validation answers — not a general XML parser.
 *
 * It reads elements (with namespace prefixes), attributes, text, CDATA and comments; the five
 * predefined entities and numeric character references are decoded. Everything a hostile answer
 * could use against a real XML parser is refused outright rather than ignored: any `<!DOCTYPE`
 * (and so any `<!ENTITY`: internal expansion bombs, external SYSTEM/PUBLIC entities), processing
 * instructions other than one leading `<?xml …?>` declaration, named entities other than the five.
 * Nothing is ever fetched or expanded recursively, and the work is linear in the input, whose size
 * outboundRequest has already capped.
 */
import { KbError } from '../../shared/errors.js';

export interface XmlElement {
  /** Namespace URI the element's prefix (or the default namespace) resolves to; null when none. */
  ns: string | null;
  /** Name without prefix. */
  local: string;
  /** Attributes by their name as written (prefix included); xmlns declarations left out. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (children's text excluded), entities decoded, not trimmed. */
  text: string;
}

// Deep enough for any CAS answer (serviceResponse › authenticationSuccess › attributes › value is 4),
// shallow enough that a hostile nesting cannot build a huge tree.
const MAX_DEPTH = 32;
const NAME = /[\p{L}_][\p{L}\p{N}_.-]*(?::[\p{L}_][\p{L}\p{N}_.-]*)?/uy;
const DECLARATION = /<\?xml\s+version\s*=\s*(["'])1\.\d\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][\w.-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*\?>/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const bad = (why: string): KbError => new KbError('idp_bad_response', `CAS answer is not acceptable XML: ${why}`);

/** Decodes the five predefined entities and numeric references; refuses every other `&`. */
function decode(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&([^;&\s]{0,10});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw bad('unterminated entity reference');
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const num = /^#(?:x([0-9A-Fa-f]{1,6})|(\d{1,7}))$/.exec(name);
    if (num === null) throw bad('only the predefined entities and numeric references are allowed');
    const code = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
    const valid = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff));
    if (!valid) throw bad('character reference to an invalid character');
    return String.fromCodePoint(code);
  });
}

interface Open {
  qname: string;
  element: XmlElement;
  scope: Map<string, string>;
}

function resolve(qname: string, scope: Map<string, string>, isElement: boolean): { ns: string | null; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { ns: isElement ? (scope.get('') || null) : null, local: qname };
  const prefix = qname.slice(0, colon);
  const ns = prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : scope.get(prefix);
  if (ns === undefined) throw bad(`undeclared namespace prefix ${prefix}`);
  return { ns, local: qname.slice(colon + 1) };
}

/** Parses a whole document into its root element, or throws idp_bad_response. */
export function parseXml(input: string): XmlElement {
  const src = input.replace(/^\uFEFF/, '');
  let i = 0;
  const stack: Open[] = [];
  let root: XmlElement | null = null;

  const skipSpace = (): void => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const readName = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (m === null) throw bad(`a name was expected at offset ${i}`);
    i += m[0].length;
    return m[0];
  };

  skipSpace();
  if (src.startsWith('<?xml', i)) {
    DECLARATION.lastIndex = i;
    const m = DECLARATION.exec(src);
    if (m === null) throw bad('malformed XML declaration');
    i += m[0].length;
  }

  while (i < src.length) {
    const top = stack[stack.length - 1];
    if (src[i] !== '<') {
      const end = src.indexOf('<', i);
      const chunk = src.slice(i, end < 0 ? src.length : end);
      if (chunk.includes(']]>')) throw bad('stray ]]> in text');
      if (top === undefined) {
        if (chunk.trim() !== '') throw bad('text outside the root element');
      } else top.element.text += decode(chunk);
      i += chunk.length;
      continue;
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) throw bad('unterminated comment');
      i = end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', i)) {
      if (top === undefined) throw bad('CDATA outside the root element');
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) throw bad('unterminated CDATA section');
      top.element.text += src.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    // DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION: the doors to entity expansion and external fetches.
    if (src.startsWith('<!', i)) throw bad('DOCTYPE and ENTITY declarations are refused');
    if (src.startsWith('<?', i)) throw bad('processing instructions are refused');
    if (src.startsWith('</', i)) {
      i += 2;
      const qname = readName();
      skipSpace();
      if (src[i] !== '>') throw bad('malformed end tag');
      i++;
      if (top === undefined || top.qname !== qname) throw bad(`unexpected end tag ${qname}`);
      stack.pop();
      continue;
    }

    // A start tag.
    if (top === undefined && root !== null) throw bad('more than one root element');
    if (stack.length >= MAX_DEPTH) throw bad('elements nested too deeply');
    i++;
    const qname = readName();
    const written: [string, string][] = [];
    const seen = new Set<string>();
    for (;;) {
      const before = i;
      skipSpace();
      if (src.startsWith('/>', i) || src[i] === '>') break;
      if (i === before) throw bad(`malformed start tag ${qname}`);
      const name = readName();
      skipSpace();
      if (src[i] !== '=') throw bad(`attribute ${name} has no value`);
      i++;
      skipSpace();
      const quote = src[i];
      if (quote !== '"' && quote !== "'") throw bad(`attribute ${name} is not quoted`);
      const end = src.indexOf(quote, i + 1);
      if (end < 0) throw bad(`attribute ${name} is not terminated`);
      const rawValue = src.slice(i + 1, end);
      if (rawValue.includes('<')) throw bad(`attribute ${name} contains <`);
      if (seen.has(name)) throw bad(`attribute ${name} is repeated`);
      seen.add(name);
      written.push([name, decode(rawValue)]);
      i = end + 1;
    }
    const selfClosing = src.startsWith('/>', i);
    i += selfClosing ? 2 : 1;

    const scope = new Map(top?.scope ?? []);
    // No prototype: an attribute named __proto__ must stay an attribute.
    const attrs = Object.create(null) as Record<string, string>;
    for (const [name, value] of written) {
      if (name === 'xmlns') scope.set('', value);
      else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
      else attrs[name] = value;
    }
    for (const name of Object.keys(attrs)) resolve(name, scope, false);
    const element: XmlElement = { ...resolve(qname, scope, true), attrs, children: [], text: '' };
    if (top === undefined) root = element;
    else top.element.children.push(element);
    if (!selfClosing) stack.push({ qname, element, scope });
  }

  if (stack.length > 0) throw bad(`element ${stack[stack.length - 1]!.qname} is not closed`);
  if (root === null) throw bad('no root element');
  return root;
}
