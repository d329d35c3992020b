/**
 * The tenant IdP client (spec §7): OAuth2 authorization-code login, token refresh, userinfo,
 * logout, and CAS 3.0 ticket validation, against the per-tenant `domainName`.
 *
 * Stateless: every call takes the tenant's domainName (and credentials) as arguments, because they
 * differ per tenant and must be looked up per login (Huawei's FAQ: never hard-code them). Storing
 * tokens, deciding when to refresh and checking the user's grant belong to sessions/ and login/.
 */
import { KbError } from '../shared/errors.js';
import { readCasBody } from './cas-response.js';
import { assertServiceTicket } from './cas-ticket.js';
import { casFailure, commonStatusError, jsonObject, oauthErrorOf, userinfoError } from './idp-errors.js';
import { readTokenAnswer, type TokenSet } from './oauth2-token.js';
import { authorizeUrl, casLoginUrl, casLogoutUrl, IDP_PATHS, idpUrl, logoutUrl } from './idp-urls.js';
import { normalizeUser, type IdpUser, type UserinfoDialect } from './userinfo-dialects.js';
import { outboundRequest, type OutboundRequest, type OutboundResponse } from '../outbound/http.js';

export type { TokenSet } from './oauth2-token.js';
export type { IdpUser, UserinfoDialect } from './userinfo-dialects.js';

export interface IdpClientOptions {
  /** Deadline of each IdP call, DNS to last byte. */
  timeoutMs: number;
  /** Development only: allows http:// IdPs and private addresses. */
  allowInsecure: boolean;
  /** Clock for TokenSet.expiresAt; Date.now by default. */
  now?: () => number;
  /** Userinfo dialects, tried in order; DEFAULT_DIALECTS (OrgID snake_case, then OneAccess). */
  dialects?: readonly UserinfoDialect[];
}

/** The per-tenant client credentials (applicationSync) and IdP base URL (tenantSync). */
export interface IdpCredentials {
  domainName: string;
  clientId: string;
  /** Decrypted. Sent in the form body only; never appears in a message. */
  clientSecret: string;
}

export type CasUser = IdpUser & { authenticationDate: string | null };

export interface IdpClient {
  authorizeUrl(domainName: string, p: { clientId: string; redirectUri: string; state?: string; scope?: string }): string;
  exchangeCode(c: IdpCredentials, p: { code: string; redirectUri?: string }): Promise<TokenSet>;
  refreshTokens(c: IdpCredentials, refreshToken: string): Promise<TokenSet>;
  userinfo(domainName: string, accessToken: string): Promise<IdpUser>;
  logoutUrl(domainName: string, redirectUrl: string): string;
  casLoginUrl(domainName: string, service: string): string;
  casLogoutUrl(domainName: string, service: string): string;
  validateServiceTicket(domainName: string, p: { service: string; ticket: string; format?: 'JSON' | 'XML' }): Promise<CasUser>;
}

const JSON_ACCEPT = 'application/json';
// Asked-for format first; the answer is read by its content either way.
const CAS_ACCEPT = { JSON: 'application/json, application/xml;q=0.5, text/xml;q=0.5', XML: 'application/xml, text/xml, application/json;q=0.5' };

export function createIdpClient(opts: IdpClientOptions): IdpClient {
  const now = opts.now ?? Date.now;
  const send = (req: Omit<OutboundRequest, 'timeoutMs' | 'allowInsecure'>): Promise<OutboundResponse> =>
    outboundRequest({ ...req, timeoutMs: opts.timeoutMs, allowInsecure: opts.allowInsecure });

  async function tokenRequest(c: IdpCredentials, grant: Record<string, string | undefined>): Promise<TokenSet> {
    const form = new URLSearchParams();
    form.append('client_id', c.clientId);
    form.append('client_secret', c.clientSecret);
    for (const [key, value] of Object.entries(grant)) if (value !== undefined) form.append(key, value);
    const res = await send({
      url: idpUrl(c.domainName, IDP_PATHS.token),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: JSON_ACCEPT },
      body: form.toString(),
    });
    return readTokenAnswer(res, now());
  }

  return {
    authorizeUrl,
    logoutUrl,
    casLoginUrl,
    casLogoutUrl,

    exchangeCode(c, p) {
      return tokenRequest(c, { code: p.code, grant_type: 'authorization_code', redirect_uri: p.redirectUri });
    },

    refreshTokens(c, refreshToken) {
      return tokenRequest(c, { grant_type: 'refresh_token', refresh_token: refreshToken });
    },

    async userinfo(domainName, accessToken) {
      const res = await send({
        url: idpUrl(domainName, IDP_PATHS.userinfo),
        method: 'GET',
        headers: { authorization: `Bearer ${accessToken}`, accept: JSON_ACCEPT },
      });
      const common = commonStatusError('userinfo', res);
      if (common) throw common;
      const body = jsonObject(res.text);
      const error = oauthErrorOf(body);
      if (res.status >= 300 || error !== null) throw userinfoError(res.status, error);
      if (body === null) throw new KbError('idp_bad_response', 'userinfo answer is not a JSON object');
      return normalizeUser(body, opts.dialects ? { dialects: opts.dialects } : {});
    },

    async validateServiceTicket(domainName, p) {
      assertServiceTicket(p.ticket);
      if (p.service.trim() === '') throw new KbError('cas_invalid_service', 'CAS service URL is empty');
      const format = p.format ?? 'JSON';
      const res = await send({
        url: idpUrl(domainName, IDP_PATHS.casValidate, { service: p.service, ticket: p.ticket, format }),
        method: 'GET',
        headers: { accept: CAS_ACCEPT[format] },
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
    },
  };
}
