/**
 * Keeps one instance's signing keys equal to the ring in the store, without a restart: a rotation
 * announces itself on pub/sub (keys.oidcSigningKeysChanged) and every instance re-reads the ring;
 * a lost message is caught by the re-read after a reconnect (`onReset`) and by the periodic
 * re-read every RING_REREAD_MS. While a promoted key waits for its `activeFrom`, the ring is read
 * again every PENDING_CHECK_MS, so the switch happens within a second of that time on every instance.
 *
 * `onChange` gets the new ring only when what the instance publishes or signs with changed.
 */
import type { Logger } from '../shared/logger.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import { RING_REREAD_MS } from './key-timing.js';
import { loadOrCreateSigningKeys, type KeyRing } from './signing-keys.js';

// A store GET a second, and only while a promoted key waits to sign.
const PENDING_CHECK_MS = 1_000;

export interface KeyRingWatchDeps {
  store: Store;
  keys: Keys;
  secretBox: SecretBox;
  now: () => number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** The ring the provider was built with. */
  initial: KeyRing;
  onChange: (ring: KeyRing) => void;
  rereadMs?: number;
}

export interface KeyRingWatch {
  /** Reads the ring now (tests, and every trigger above); resolves once it was applied. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/** What the provider is built from: the kids in order (the first signs). */
const shapeOf = (ring: KeyRing) => ring.jwks.keys.map((k) => k.kid).join(',');

export function watchKeyRing(deps: KeyRingWatchDeps): KeyRingWatch {
  let shape = shapeOf(deps.initial);
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let review: NodeJS.Timeout | null = null;

  const schedule = (ring: KeyRing) => {
    if (review) clearTimeout(review);
    review = null;
    if (closed || ring.reviewAt === null) return;
    review = setTimeout(() => void refresh(), Math.min(Math.max(ring.reviewAt - deps.now(), 0), PENDING_CHECK_MS));
    review.unref();
  };

  const readOnce = async () => {
    try {
      // A ring deleted from the store is not made anew here: a fresh key would sign at once on this
      // instance while the others do not publish it. The keys in use stay; a restart makes a ring.
      if ((await deps.store.get(deps.keys.oidcSigningKeys())) === null) {
        deps.logger.warn('the OIDC signing key ring is missing from the store; the keys in use stay');
        return;
      }
      const ring = await loadOrCreateSigningKeys({ store: deps.store, keys: deps.keys, secretBox: deps.secretBox, jwksFile: null, now: deps.now });
      if (closed) return;
      const next = shapeOf(ring);
      if (next !== shape) {
        shape = next;
        deps.onChange(ring);
        deps.logger.info({ signing: ring.current, published: ring.jwks.keys.map((k) => k.kid) }, 'OIDC signing keys changed in the store; now in use');
      }
      schedule(ring);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'could not re-read the OIDC signing keys; the ones in use stay');
    }
  };

  // One read at a time; a trigger during a read makes one more read after it (it may have missed the change).
  function refresh(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await readOnce();
      } while (again && !closed);
      running = null;
    })();
    return running;
  }

  const subscription = deps.store.subscribe(deps.keys.oidcSigningKeysChanged(), () => void refresh(), () => void refresh());
  const interval = setInterval(() => void refresh(), deps.rereadMs ?? RING_REREAD_MS);
  interval.unref();
  schedule(deps.initial);

  return {
    refresh,
    async close() {
      closed = true;
      clearInterval(interval);
      if (review) clearTimeout(review);
      await subscription.close();
    },
  };
}
