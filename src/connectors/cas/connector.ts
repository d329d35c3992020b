/** CAS 3.0 at the tenant IdP (spec §7 CAS), as a Connector: no credentials, no tokens to renew. */
import type { Connector } from '../connector.js';
import type { CasClient } from './client.js';

export function casConnector(client: CasClient): Connector {
  return {
    protocol: 'cas',
    needsCredentials: false,

    loginUrl: (target, login) => client.loginUrl(target.domainName, login.returnUrl),

    async handleCallback(target, callback) {
      // CAS validates the ticket against exactly the service it was issued for.
      const identity = await client.validateServiceTicket(target.domainName, { service: callback.returnUrl ?? '', ticket: callback.proof });
      return { identity, upstream: null };
    },

    logoutUrl: (domainName, returnUrl) => client.logoutUrl(domainName, returnUrl),
  };
}
