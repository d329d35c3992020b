/**
 * CAS 3.0 serviceValidate answers (spec §7) in both formats. XML uses the namespace
 * `http://www.yale.edu/tp/cas` with `cas:`-prefixed elements; JSON mirrors the same tree. Every
 * value is escaped: descriptions quote the ticket the client sent.
 */
import { tenantClaim } from './userinfo.js';
import type { TicketGrant } from './grants.js';
import { orgName } from './deps.js';
import type { SimTenant, SimUser } from './types.js';

export type CasFormat = 'JSON' | 'XML';
export type CasFailureCode = 'INVALID_REQUEST' | 'INVALID_TICKET' | 'INVALID_SERVICE';

export const CAS_NAMESPACE = 'http://www.yale.edu/tp/cas';

/** The requested format; JSON when absent or unknown, as the tenant IdP defaults (spec §7). */
export const casFormat = (value: string | undefined): CasFormat => (value?.toUpperCase() === 'XML' ? 'XML' : 'JSON');

export function casAttributes(tenant: SimTenant, user: SimUser, grant: TicketGrant): Record<string, string | boolean> {
  return {
    userName: user.userName,
    name: user.name,
    tenant: tenantClaim(tenant),
    role: user.role,
    organizationCode: user.orgCode,
    organizationName: orgName(tenant, user.orgCode),
    authenticationDate: new Date(grant.authTime).toISOString(),
    isFromNewLogin: grant.newLogin,
  };
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xmlEscape = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

export interface CasBody {
  contentType: string;
  body: string;
}

export function casSuccess(format: CasFormat, user: string, attributes: Record<string, string | boolean>): CasBody {
  if (format === 'JSON') {
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ serviceResponse: { authenticationSuccess: { user, attributes } } }) };
  }
  const attrs = Object.entries(attributes)
    .map(([k, v]) => `      <cas:${k}>${xmlEscape(String(v))}</cas:${k}>`)
    .join('\n');
  const body = `<cas:serviceResponse xmlns:cas="${CAS_NAMESPACE}">
  <cas:authenticationSuccess>
    <cas:user>${xmlEscape(user)}</cas:user>
    <cas:attributes>
${attrs}
    </cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>
`;
  return { contentType: 'application/xml; charset=utf-8', body };
}

export function casFailure(format: CasFormat, code: CasFailureCode, description: string): CasBody {
  if (format === 'JSON') {
    return { contentType: 'application/json; charset=utf-8', body: JSON.stringify({ serviceResponse: { authenticationFailure: { code, description } } }) };
  }
  const body = `<cas:serviceResponse xmlns:cas="${CAS_NAMESPACE}">
  <cas:authenticationFailure code="${code}">${xmlEscape(description)}</cas:authenticationFailure>
</cas:serviceResponse>
`;
  return { contentType: 'application/xml; charset=utf-8', body };
}
