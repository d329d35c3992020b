/**
 * Webhook authentication: the signature checks of spec §2 plus a nonce replay cache kept in the
 * store, so every instance behind a load balancer refuses a request another one already served.
 */
import { sha256Base64url } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import { verifySignature, type VerifyOptions } from '../koogallery/signature.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../shared/clock.js';

/** KooGallery allows ±60 s between its clock and ours (spec §2). */
export const SIGNATURE_WINDOW_MS = 60_000;
// A nonce must be remembered for as long as its timestamp can still pass the window check: a
// request stamped 60 s ahead of us stays acceptable for 120 s. A little slack covers clock drift
// between our own instances.
const NONCE_TTL_MS = 2 * SIGNATURE_WINDOW_MS + 10_000;

/** What a request brings to be verified; the clock and the window are the guard's. */
export type SignedRequest = Omit<VerifyOptions, 'now' | 'windowMs'>;

export function createReplayGuard(deps: { store: Store; keys: Keys; clock: Clock }) {
  return {
    /** Throws a coded KbError unless the request is authentic and seen for the first time. */
    async verify(req: SignedRequest): Promise<void> {
      verifySignature({ ...req, now: deps.clock.now(), windowMs: SIGNATURE_WINDOW_MS });
      // Only an authentic request consumes its nonce, so forged requests cannot burn nonces.
      const nonceHash = sha256Base64url(req.nonce!);
      const fresh = await deps.store.setIfAbsent(deps.keys.nonce(req.family, nonceHash), '1', NONCE_TTL_MS);
      if (!fresh) throw new KbError('nonce_replayed', 'nonce already used: the request was replayed');
    },
  };
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>;
