/**
 * The validation answers of CAS 3.0 §2.5–2.6 (XML by default, JSON with `format=JSON`, Appendix A)
 * and CAS 1.0's `/validate` (§2.4.2), built by hand: three small shapes, no XML library needed.
 * Every value is escaped, and characters XML 1.0 cannot carry are replaced, so a name never breaks
 * the document an app parses.
 */
import type { Principal } from './attributes.js';

/** The spec's error codes (§2.5.3) this server answers. */
export type CasFailureCode = 'INVALID_REQUEST' | 'INVALID_TICKET_SPEC' | 'INVALID_TICKET' | 'INVALID_SERVICE' | 'INTERNAL_ERROR';

export type CasFormat = 'XML' | 'JSON';

const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// Most values (names, codes, dates) need nothing: one test skips the two replacements.
const NEEDS_WORK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff&<>"']/;
export const xmlText = (value: string): string => (NEEDS_WORK.test(value) ? value.replace(NOT_XML, '\ufffd').replace(/[&<>"']/g, (c) => ESCAPES[c]!) : value);

const NS = 'xmlns:cas="http://www.yale.edu/tp/cas"';

export function successBody(format: CasFormat, principal: Principal): string {
  if (format === 'JSON') {
    return JSON.stringify({ serviceResponse: { authenticationSuccess: { user: principal.user, attributes: Object.fromEntries(principal.attributes) } } });
  }
  const attributes = principal.attributes.map(([k, v]) => `      <cas:${k}>${xmlText(v)}</cas:${k}>\n`).join('');
  return (
    `<cas:serviceResponse ${NS}>\n  <cas:authenticationSuccess>\n    <cas:user>${xmlText(principal.user)}</cas:user>\n` +
    `    <cas:attributes>\n${attributes}    </cas:attributes>\n  </cas:authenticationSuccess>\n</cas:serviceResponse>\n`
  );
}

export function failureBody(format: CasFormat, code: CasFailureCode, description: string): string {
  if (format === 'JSON') return JSON.stringify({ serviceResponse: { authenticationFailure: { code, description } } });
  return `<cas:serviceResponse ${NS}>\n  <cas:authenticationFailure code="${code}">${xmlText(description)}</cas:authenticationFailure>\n</cas:serviceResponse>\n`;
}

export const contentTypeOf = (format: CasFormat): string => (format === 'JSON' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8');

/** CAS 1.0: `yes<LF>user<LF>` or `no<LF><LF>`. */
export const v1Body = (user: string | null): string => (user === null ? 'no\n\n' : `yes\n${user.replace(/[\r\n]/g, ' ')}\n`);

/** The spec's SAML 1.1-style single-logout message (§2.3.3), with the ticket as SessionIndex. */
export function logoutRequestXml(id: string, issueInstant: string, ticket: string): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${xmlText(id)}" Version="2.0" IssueInstant="${xmlText(issueInstant)}">` +
    `<saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>${xmlText(ticket)}</samlp:SessionIndex></samlp:LogoutRequest>`
  );
}
