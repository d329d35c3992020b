/** OAuth2 authorization code at the tenant IdP (spec §7), as a Connector. */
import { KbError } from '../../shared/errors.js';
import type { Connector, IdpTarget } from '../connector.js';
import type { IdpCredentials, OAuth2Client } from './client.js';

/** The credentials of a target; the login pipeline checks their presence before any call. */
function credentialsOf(target: IdpTarget): IdpCredentials {
  if (target.credentials === null) throw new KbError('login_no_credentials', 'the organization has no app credentials yet');
  return { domainName: target.domainName, ...target.credentials };
}

export function oauth2Connector(client: OAuth2Client): Connector {
  return {
    protocol: 'oauth2',
    needsCredentials: true,

    loginUrl(target, login) {
      const { clientId } = credentialsOf(target);
      return client.authorizeUrl(target.domainName, { clientId, redirectUri: login.returnUrl, ...(login.state === null ? {} : { state: login.state }) });
    },

    async handleCallback(target, callback) {
      const tokens = await client.exchangeCode(credentialsOf(target), { code: callback.proof, ...(callback.returnUrl ? { redirectUri: callback.returnUrl } : {}) });
      const identity = await client.userinfo(target.domainName, tokens.accessToken);
      return { identity, upstream: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt } };
    },

    async refresh(target, refreshToken) {
      const next = await client.refreshTokens(credentialsOf(target), refreshToken);
      return { accessToken: next.accessToken, refreshToken: next.refreshToken, expiresAt: next.expiresAt };
    },

    logoutUrl: (domainName, returnUrl) => client.logoutUrl(domainName, returnUrl),
  };
}
