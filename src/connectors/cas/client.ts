/**
 * The tenant IdP's CAS 3.0 endpoints (spec §7 CAS): service-ticket validation and the browser
 * addresses of CAS login and logout. Stateless, like the OAuth2 client.
 */
import { KbError } from '../../shared/errors.js';
import { outboundRequest } from '../../outbound/http.js';
import type { IdpClientOptions } from '../client-options.js';
import { casFailure, commonStatusError } from '../idp-errors.js';
import { casLoginUrl, casLogoutUrl, IDP_PATHS, idpUrl } from '../idp-urls.js';
import { normalizeUser, type IdpUser } from '../userinfo-dialects.js';
import { readCasBody } from './response.js';
import { assertServiceTicket } from './ticket.js';
import { NO_OBSERVATIONS } from '../../shared/observations.js';
import { observedCall } from '../observed-call.js';

export type CasUser = IdpUser & { authenticationDate: string | null };

export interface CasClient {
  loginUrl(domainName: string, service: string): string;
  logoutUrl(domainName: string, service: string): string;
  validateServiceTicket(domainName: string, p: { service: string; ticket: string; format?: 'JSON' | 'XML' }): Promise<CasUser>;
}

// Asked-for format first; the answer is read by its content either way.
const CAS_ACCEPT = { JSON: 'application/json, application/xml;q=0.5, text/xml;q=0.5', XML: 'application/xml, text/xml, application/json;q=0.5' };

export function createCasClient(opts: IdpClientOptions): CasClient {
  const observations = opts.observations ?? NO_OBSERVATIONS;
  return {
    loginUrl: casLoginUrl,
    logoutUrl: casLogoutUrl,
    // A malformed ticket or empty service is refused before any call: no idp_call then.
    async validateServiceTicket(domainName, p) {
      assertServiceTicket(p.ticket);
      if (p.service.trim() === '') throw new KbError('cas_invalid_service', 'CAS service URL is empty');
      return observedCall(observations, 'cas_validate', () => validate(domainName, p));
    },
  };

  async function validate(domainName: string, p: { service: string; ticket: string; format?: 'JSON' | 'XML' }): Promise<CasUser> {
    const format = p.format ?? 'JSON';
    const res = await outboundRequest({
      url: idpUrl(domainName, IDP_PATHS.casValidate, { service: p.service, ticket: p.ticket, format }),
      method: 'GET',
      headers: { accept: CAS_ACCEPT[format] },
      timeoutMs: opts.timeoutMs,
      allowInsecure: opts.allowInsecure,
    });
    const common = commonStatusError('CAS serviceValidate', res);
    if (common) throw common;
    let outcome;
    try {
      outcome = readCasBody(res.text);
    } catch (err) {
      // A 4xx without a CAS body says more by its status than by the parse failure.
      if (res.status >= 400) throw new KbError('idp_bad_response', `tenant IdP CAS serviceValidate answered HTTP ${res.status}`);
      throw err;
    }
    if (!outcome.ok) throw casFailure(outcome.code);
    const user = normalizeUser(outcome.attributes, { fallbackUserName: outcome.user, ...(opts.dialects ? { dialects: opts.dialects } : {}) });
    const date = outcome.attributes.authenticationDate?.[0]?.trim();
    return { ...user, authenticationDate: date ? date : null };
  }
}
