/**
 * The tenant IdP's OAuth2 endpoints (spec §7): authorization-code exchange, token refresh,
 * userinfo, and the browser addresses of authorize and logout.
 *
 * Stateless: every call takes the tenant's domainName (and credentials) as arguments, because they
 * differ per tenant and must be looked up per login (Huawei's FAQ: never hard-code them). Storing
 * tokens, deciding when to refresh and checking the user's grant belong to sessions/ and login/.
 */
import { KbError } from '../../shared/errors.js';
import { outboundRequest } from '../../outbound/http.js';
import type { IdpClientOptions } from '../client-options.js';
import { commonStatusError, jsonObject, oauthErrorOf, userinfoError } from '../idp-errors.js';
import { authorizeUrl, IDP_PATHS, idpUrl, logoutUrl } from '../idp-urls.js';
import { normalizeUser, type IdpUser } from '../userinfo-dialects.js';
import { readTokenAnswer, type TokenSet } from './token-answer.js';
import { NO_OBSERVATIONS } from '../../shared/observations.js';
import { observedCall } from '../observed-call.js';

/** The per-tenant client credentials (applicationSync) and IdP base URL (tenantSync). */
export interface IdpCredentials {
  domainName: string;
  clientId: string;
  /** Decrypted. Sent in the form body only; never appears in a message. */
  clientSecret: string;
}

export interface OAuth2Client {
  authorizeUrl(domainName: string, p: { clientId: string; redirectUri: string; state?: string; scope?: string }): string;
  exchangeCode(c: IdpCredentials, p: { code: string; redirectUri?: string }): Promise<TokenSet>;
  refreshTokens(c: IdpCredentials, refreshToken: string): Promise<TokenSet>;
  userinfo(domainName: string, accessToken: string): Promise<IdpUser>;
  logoutUrl(domainName: string, redirectUrl: string): string;
}

const JSON_ACCEPT = 'application/json';

export function createOAuth2Client(opts: IdpClientOptions): OAuth2Client {
  const now = opts.now ?? Date.now;
  const observations = opts.observations ?? NO_OBSERVATIONS;

  async function tokenRequest(c: IdpCredentials, grant: Record<string, string | undefined>): Promise<TokenSet> {
    const form = new URLSearchParams();
    form.append('client_id', c.clientId);
    form.append('client_secret', c.clientSecret);
    for (const [key, value] of Object.entries(grant)) if (value !== undefined) form.append(key, value);
    const res = await outboundRequest({
      url: idpUrl(c.domainName, IDP_PATHS.token),
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: JSON_ACCEPT },
      body: form.toString(),
      timeoutMs: opts.timeoutMs,
      allowInsecure: opts.allowInsecure,
    });
    return readTokenAnswer(res, now());
  }

  return {
    authorizeUrl,
    logoutUrl,

    exchangeCode(c, p) {
      return observedCall(observations, 'token', () => tokenRequest(c, { code: p.code, grant_type: 'authorization_code', redirect_uri: p.redirectUri }));
    },

    refreshTokens(c, refreshToken) {
      return observedCall(observations, 'refresh', () => tokenRequest(c, { grant_type: 'refresh_token', refresh_token: refreshToken }));
    },

    userinfo: (domainName, accessToken) => observedCall(observations, 'userinfo', () => userinfo(domainName, accessToken)),
  };

  async function userinfo(domainName: string, accessToken: string): Promise<IdpUser> {
    const res = await outboundRequest({
      url: idpUrl(domainName, IDP_PATHS.userinfo),
      method: 'GET',
      headers: { authorization: `Bearer ${accessToken}`, accept: JSON_ACCEPT },
      timeoutMs: opts.timeoutMs,
      allowInsecure: opts.allowInsecure,
    });
    const common = commonStatusError('userinfo', res);
    if (common) throw common;
    const body = jsonObject(res.text);
    const error = oauthErrorOf(body);
    if (res.status >= 300 || error !== null) throw userinfoError(res.status, error);
    if (body === null) throw new KbError('idp_bad_response', 'userinfo answer is not a JSON object');
    return normalizeUser(body, opts.dialects ? { dialects: opts.dialects } : {});
  }
}
