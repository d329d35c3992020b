/**
 * What the unit tests of the login room's callback checks share: real connectors and own-state
 * signer, and a fresh OAuth2 callback attempt for tenant `acme` (code `code-1`) with nothing
 * checked yet, which each test overrides where it matters.
 */
import { createConnectors } from '../../src/connectors/registry.js';
import { UNCHECKED, type CallbackAttempt } from '../../src/login/callback/attempt.js';
import { createOwnStates } from '../../src/login/callback/own-states.js';

export const PUBLIC_URL = 'https://bridge.example.com';
export const ownStates = createOwnStates([Buffer.alloc(32, 7).toString('base64')]);
export const connectors = createConnectors({ timeoutMs: 1000, allowInsecure: false });

export function callbackAttempt(over: Partial<CallbackAttempt> = {}): CallbackAttempt {
  return {
    protocol: 'oauth2',
    connector: connectors.oauth2,
    tenantId: 'acme',
    proof: 'code-1',
    proofField: 'code',
    state: undefined,
    upstreamError: undefined,
    ...UNCHECKED,
    ...over,
  };
}
