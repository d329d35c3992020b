/**
 * ID-token signing keys: from OIDC_JWKS_FILE when set, otherwise a ring kept in the store.
 *
 * The ring is one key (`keys.oidcSigningKeys()`), a JSON array of entries whose private JWK is
 * sealed with the secret box, so a dump of Redis reveals no signing key. States follow
 * publish-before-sign: a `next` key is published at one rotation and only signs from the following
 * one, and never before it has been published for the propagation delay (`activeFrom`; key-timing.ts),
 * so every instance publishes it and relying parties that cache the JWKS know it before any token
 * it signed reaches them; until then the key that signed before keeps signing. The old `current`
 * stays published as `retired` until every token it signed has expired. Running instances follow
 * the ring without a restart (key-ring-watch.ts): the rotation announces itself on pub/sub.
 *
 * Every write is a compare-and-set against the exact ring read, and the ring never expires: two
 * instances starting together agree on one ring, and concurrent rotations cannot drop a key.
 */
import type { JWK } from 'jose';
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import { loadJwksFile } from './jwks-file.js';
import { DEFAULT_PROPAGATION_MS } from './key-timing.js';
import { generateSigningJwk, publicJwkOf, SIGNING_ALGS, type SigningAlg, type SigningJwk } from './signing-jwk.js';

export interface KeyRing {
  /** Private JWKs for oidc-provider's `jwks` option; the signing key first. */
  jwks: { keys: JWK[] };
  /** The same keys without private members, in the same order. */
  publicJwks: JWK[];
  /** kid of the signing key. */
  current: string;
  /** alg of the signing key: clients must ask for it (id_token_signed_response_alg). */
  currentAlg: SigningAlg;
  /** When a promoted key that does not sign yet starts signing (the ring must be used anew then), or null. */
  reviewAt: number | null;
}

export type KeyState = 'next' | 'current' | 'retired';

/** What may be shown of a ring entry: never key material. */
export interface KeyStateView {
  kid: string;
  alg: SigningAlg;
  state: KeyState;
  createdAt: number;
  retireAfter?: number;
  /** When a promoted key starts (started) signing; absent: it signed as soon as it was current. */
  activeFrom?: number;
}

export interface SigningKeysLogger {
  info(obj: object, msg: string): void;
}

export interface RingDeps {
  store: Store;
  keys: Keys;
  secretBox: SecretBox;
  now?: () => number;
  logger?: SigningKeysLogger;
}

export interface LoadSigningKeysDeps extends RingDeps {
  /** OIDC_JWKS_FILE, or null to use the ring in the store. */
  jwksFile: string | null;
  readFile?: (p: string) => string;
  /** Algorithm of a key generated on first start (ES256 unless told otherwise). */
  alg?: SigningAlg;
}

const entrySchema = z.object({
  kid: z.string().min(1),
  alg: z.enum(SIGNING_ALGS as [SigningAlg, ...SigningAlg[]]),
  jwk: z.string().min(1),
  state: z.enum(['next', 'current', 'retired']),
  createdAt: z.number(),
  retireAfter: z.number().optional(),
  activeFrom: z.number().optional(),
});
type Entry = z.infer<typeof entrySchema>;
const ringSchema = z.array(entrySchema).refine((ring) => ring.filter((e) => e.state === 'current').length === 1, 'exactly one current key');

// Rotations are rare and quick; losing the race this often means something keeps rewriting the ring.
const MAX_CAS_ATTEMPTS = 5;
const STATE_ORDER: Record<KeyState, number> = { current: 0, next: 1, retired: 2 };

/** Binds each sealed JWK to its kid, so a sealed key copied onto another entry fails to open. */
const aadOf = (kid: string) => `oidc:signing-key:${kid}`;

function parseRing(raw: string): Entry[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new KbError('internal', 'the OIDC signing key ring in the store is not valid JSON');
  }
  const result = ringSchema.safeParse(json);
  if (!result.success) throw new KbError('internal', `the OIDC signing key ring in the store is malformed (${result.error.issues[0]?.message ?? 'invalid'})`);
  return result.data;
}

function openJwk(secretBox: SecretBox, entry: Entry): SigningJwk {
  try {
    return JSON.parse(secretBox.open(entry.jwk, aadOf(entry.kid))) as SigningJwk;
  } catch {
    throw new KbError('config_invalid', `SECRET_KEYS: cannot open OIDC signing key ${entry.kid}; keep the key it was sealed with in SECRET_KEYS until the next \`koobridge keys rotate\` reseals the ring`);
  }
}

async function newEntry(secretBox: SecretBox, alg: SigningAlg, state: KeyState, now: number): Promise<Entry> {
  const jwk = await generateSigningJwk(alg);
  return { kid: jwk.kid, alg, jwk: secretBox.seal(JSON.stringify(jwk), aadOf(jwk.kid)), state, createdAt: now };
}

/** Retired keys whose tokens have all expired are neither published nor kept. */
const live = (ring: Entry[], now: number) => ring.filter((e) => e.state !== 'retired' || (e.retireAfter ?? 0) > now);

/** Current first (oidc-provider signs with the first matching key), then next, then retired, newest first. */
const ordered = <T extends { state: KeyState; createdAt: number }>(ring: T[]): T[] =>
  [...ring].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || b.createdAt - a.createdAt);

function keyRingOf(jwks: SigningJwk[], reviewAt: number | null = null): KeyRing {
  const first = jwks[0]!;
  return { jwks: { keys: jwks }, publicJwks: jwks.map(publicJwkOf), current: first.kid, currentAlg: first.alg, reviewAt };
}

/** Whether a key has started signing (keys written before `activeFrom` existed had). */
const started = (e: Entry, now: number) => (e.activeFrom ?? 0) <= now;

/**
 * The key that signs at `now`: the current one once its activeFrom has come; before that the
 * newest retired key that had started (the one that signed before the rotation).
 */
function signerAt(ring: Entry[], now: number): Entry | undefined {
  const current = ring.find((e) => e.state === 'current');
  if (current && started(current, now)) return current;
  const before = ring.filter((e) => e.state === 'retired' && started(e, now)).sort((a, b) => b.createdAt - a.createdAt)[0];
  return before ?? current;
}

/** The ring as one instance uses it at `now`: the signer first, then the rest; and when a pending key starts signing. */
function effectiveAt(ring: Entry[], now: number): { entries: Entry[]; reviewAt: number | null } {
  const alive = live(ring, now);
  const signer = signerAt(alive, now);
  const rest = ordered(alive.filter((e) => e !== signer));
  // A retired key running out needs no hurry (it is dropped at the next periodic re-read); a key
  // starting to sign is worth watching for.
  const pending = alive.find((e) => e.state === 'current' && !started(e, now));
  return { entries: signer ? [signer, ...rest] : rest, reviewAt: pending?.activeFrom ?? null };
}

const describeRing = (ring: Entry[]): KeyStateView[] =>
  ordered(ring).map(({ kid, alg, state, createdAt, retireAfter, activeFrom }) => ({
    kid,
    alg,
    state,
    createdAt,
    ...(retireAfter === undefined ? {} : { retireAfter }),
    ...(activeFrom === undefined ? {} : { activeFrom }),
  }));

export async function loadOrCreateSigningKeys(deps: LoadSigningKeysDeps): Promise<KeyRing> {
  if (deps.jwksFile !== null) return keyRingOf(await loadJwksFile(deps.jwksFile, deps.readFile));
  const now = deps.now ?? Date.now;
  const key = deps.keys.oidcSigningKeys();
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const raw = await deps.store.get(key);
    if (raw !== null) {
      const { entries, reviewAt } = effectiveAt(parseRing(raw), now());
      return keyRingOf(entries.map((e) => openJwk(deps.secretBox, e)), reviewAt);
    }
    const first = await newEntry(deps.secretBox, deps.alg ?? 'ES256', 'current', now());
    // Two instances starting on an empty store both get here; the loser re-reads the winner's ring.
    if (await deps.store.compareAndSet(key, null, JSON.stringify([first]))) {
      deps.logger?.info({ kid: first.kid, alg: first.alg }, 'generated the first OIDC signing key');
      return keyRingOf([openJwk(deps.secretBox, first)]);
    }
  }
  throw new KbError('internal', 'could not read or create the OIDC signing key ring (it kept changing)');
}

export interface RotateOptions {
  /** Time of the rotation (ms epoch); defaults to deps.now(). */
  now?: number;
  /** How long the demoted key stays published: at least the longest lifetime of a token it signed. */
  retireAfterMs: number;
  /** Algorithm of the new `next` key (ES256 unless told otherwise). */
  alg?: SigningAlg;
  /** How long the promoted key must have been published before it signs (DEFAULT_PROPAGATION_MS). */
  propagationMs?: number;
}

/** The ring after one rotation step; pure except for key generation. */
async function rotated(ring: Entry[], secretBox: SecretBox, opts: Required<RotateOptions>): Promise<Entry[]> {
  const { now, retireAfterMs, alg, propagationMs } = opts;
  let out = live(ring, now);
  const next = ordered(out.filter((e) => e.state === 'next'))[0];
  const signingNow = signerAt(out, now);
  if (out.length === 0) {
    out = [await newEntry(secretBox, alg, 'current', now)];
  } else if (next) {
    // Published at the previous rotation, usually long ago: it signs at once. Published moments
    // ago (two rotations in a row): it waits, and the key signing now goes on signing until then.
    const activeFrom = Math.max(now, next.createdAt + propagationMs);
    const until = activeFrom + retireAfterMs;
    out = out.map((e) =>
      e === next ? { ...e, state: 'current' as const, activeFrom }
      : e.state === 'current' ? { ...e, state: 'retired' as const, retireAfter: until }
      : e === signingNow ? { ...e, retireAfter: Math.max(e.retireAfter ?? 0, until) }
      : e,
    );
  }
  // Any other `next` (none in a ring only this module writes) is dropped: it never signed.
  out = out.filter((e) => e.state !== 'next');
  out.push(await newEntry(secretBox, alg, 'next', now));
  // Reseal with the first SECRET_KEYS key, so an older secret key can be dropped after a rotation.
  return out.map((e) => ({ ...e, jwk: secretBox.seal(JSON.stringify(openJwk(secretBox, e)), aadOf(e.kid)) }));
}

/**
 * One rotation: promote `next` to `current` (the old current becomes `retired` for retireAfterMs),
 * drop retired keys past their time, add a fresh `next`. Answers the new ring's states.
 */
export async function rotateSigningKeys(deps: RingDeps, opts: RotateOptions): Promise<KeyStateView[]> {
  if (!Number.isSafeInteger(opts.retireAfterMs) || opts.retireAfterMs < 0) throw new TypeError('rotateSigningKeys: retireAfterMs must be a whole number of milliseconds >= 0');
  if (opts.propagationMs !== undefined && (!Number.isSafeInteger(opts.propagationMs) || opts.propagationMs < 0)) throw new TypeError('rotateSigningKeys: propagationMs must be a whole number of milliseconds >= 0');
  const key = deps.keys.oidcSigningKeys();
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const raw = await deps.store.get(key);
    const ring = raw === null ? [] : parseRing(raw);
    const now = opts.now ?? (deps.now ?? Date.now)();
    const after = await rotated(ring, deps.secretBox, { now, retireAfterMs: opts.retireAfterMs, alg: opts.alg ?? 'ES256', propagationMs: opts.propagationMs ?? DEFAULT_PROPAGATION_MS });
    // Written only over the exact ring read: a concurrent rotation makes us start again from its result.
    if (await deps.store.compareAndSet(key, raw, JSON.stringify(after))) {
      // Running instances re-read the ring now; one that misses this re-reads within RING_REREAD_MS.
      await deps.store.publish(deps.keys.oidcSigningKeysChanged(), 'rotated').catch(() => undefined);
      const states = describeRing(after);
      deps.logger?.info({ keys: states.map(({ kid, state }) => ({ kid, state })) }, 'rotated the OIDC signing keys');
      return states;
    }
  }
  throw new KbError('internal', 'the OIDC signing key ring changed during every rotation attempt; try again');
}

/** The states of the ring in the store as they are now (live keys only), for operators: no key material. */
export async function readKeyStates(deps: Pick<RingDeps, 'store' | 'keys' | 'now'>): Promise<KeyStateView[]> {
  const raw = await deps.store.get(deps.keys.oidcSigningKeys());
  return raw === null ? [] : describeRing(live(parseRing(raw), (deps.now ?? Date.now)()));
}
