/**
 * Webhook authentication: the signature checks of spec §2 plus a nonce replay cache kept in the
 * store, so every instance behind a load balancer refuses a request another one already served.
 *
 * KooGallery "may resend a request" and does not say whether a resend is signed anew (spec §5): a
 * byte-identical resend (same nonce, same body) is no attack. It is answered with the first
 * answer when that one succeeded (nothing is applied twice), or handled again (every handler is
 * idempotent) when the first attempt failed or is still running. The same nonce with another body
 * is a replay and is refused.
 */
import { KbError } from '../shared/errors.js';
import { sha256Base64url } from '../shared/hash.js';
import type { Clock } from '../shared/clock.js';
import { checkSigningInputs, verifySignature, type VerifyOptions } from '../koogallery/signature.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { KooEnvelope } from './envelope.js';

/** KooGallery allows ±60 s between its clock and ours (spec §2). */
export const SIGNATURE_WINDOW_MS = 60_000;
// A nonce must be remembered for as long as its timestamp can still pass the window check: a
// request stamped 60 s ahead of us stays acceptable for 120 s. A little slack covers clock drift
// between our own instances.
const NONCE_TTL_MS = 2 * SIGNATURE_WINDOW_MS + 10_000;

/** What a request brings to be verified; the clock and the window are the guard's. */
export type SignedRequest = Omit<VerifyOptions, 'now' | 'windowMs'>;

/** What the nonce remembers: which body it came with and, once it succeeded, its answer. */
interface NonceRecord {
  body: string;
  answer: KooEnvelope | null;
}

export interface Admission {
  /** The first answer, when this request is a resend of one that succeeded: send it again, apply nothing. */
  resend: KooEnvelope | null;
  /** Remembers a successful answer for resends of this request. */
  remember(answer: KooEnvelope): Promise<void>;
}

export function createReplayGuard(deps: { store: Store; keys: Keys; clock: Clock }) {
  return {
    /**
     * The checks that need no body (timestamp in the window, nonce and signature formats): run
     * before the body is read, so a request that cannot be authentic costs no read and no parse.
     */
    precheck(req: Omit<SignedRequest, 'rawBody'>): void {
      checkSigningInputs({ ...req, now: deps.clock.now(), windowMs: SIGNATURE_WINDOW_MS });
    },
    /** Throws a coded KbError unless the request is authentic and either new or a resend. */
    async admit(req: SignedRequest): Promise<Admission> {
      verifySignature({ ...req, now: deps.clock.now(), windowMs: SIGNATURE_WINDOW_MS });
      // Only an authentic request consumes its nonce, so forged requests cannot burn nonces.
      const key = deps.keys.nonce(req.family, sha256Base64url(req.nonce!));
      const body = sha256Base64url(req.rawBody);
      const remember = async (answer: KooEnvelope) => {
        await deps.store.replaceIfExists(key, JSON.stringify({ body, answer } satisfies NonceRecord), NONCE_TTL_MS);
      };
      if (await deps.store.setIfAbsent(key, JSON.stringify({ body, answer: null } satisfies NonceRecord), NONCE_TTL_MS)) return { resend: null, remember };
      const stored = parseNonceRecord(await deps.store.get(key));
      if (stored === null || stored.body !== body) throw new KbError('nonce_replayed', 'nonce already used: the request was replayed');
      return { resend: stored.answer, remember };
    },
  };
}

function parseNonceRecord(raw: string | null): NonceRecord | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<NonceRecord>;
    return typeof value.body === 'string' ? { body: value.body, answer: value.answer ?? null } : null;
  } catch {
    return null; // a nonce written by an older version ('1'): treat as a replay
  }
}

export type ReplayGuard = ReturnType<typeof createReplayGuard>;
