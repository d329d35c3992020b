/**
 * Marks an authorization code or CAS ticket as redeemed; a second callback carrying it is refused
 * whatever the IdP would do with it. The mark outlives the code (the pre-login lifetime) and holds
 * only the proof's hash.
 */
import { KbError } from '../shared/errors.js';
import { sha256Base64url } from '../shared/hash.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { PRELOGIN_TTL_MS } from './prelogin.js';

export async function redeemOnce(deps: { store: Store; keys: Keys }, tenantId: string, kind: 'code' | 'ticket', value: string): Promise<void> {
  if (!(await deps.store.setIfAbsent(deps.keys.redeemed(tenantId, kind, sha256Base64url(value)), '1', PRELOGIN_TTL_MS))) {
    throw new KbError('login_replayed', 'this sign-in link was already used; please sign in again');
  }
}
