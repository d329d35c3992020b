/**
 * Every login protocol the bridge speaks to tenant IdPs, built once with the same options (the
 * observation bus among them: each IdP call is reported as an `idp_call`).
 */
import { casConnector } from './cas/connector.js';
import { createCasClient } from './cas/client.js';
import type { IdpClientOptions } from './client-options.js';
import type { Connectors } from './connector.js';
import { oauth2Connector } from './oauth2/connector.js';
import { createOAuth2Client } from './oauth2/client.js';

export function createConnectors(opts: IdpClientOptions): Connectors {
  return {
    oauth2: oauth2Connector(createOAuth2Client(opts)),
    cas: casConnector(createCasClient(opts)),
  };
}
