/**
 * ID-token signing keys kept in the store (memory backend here; Redis in
 * test/integration/oidc-signing-keys.test.ts): first start, concurrent starts, sealing, rotation
 * with publish-before-sign, retirement.
 */
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadOrCreateSigningKeys, rotateSigningKeys, type KeyRing } from '../../../src/oidc/signing-keys.js';
import { DEFAULT_PROPAGATION_MS } from '../../../src/oidc/key-timing.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createSecretBox } from '../../../src/store/secret-box.js';

const HOUR = 3_600_000;
const secret = () => randomBytes(32).toString('base64');

function setup(opts: { secretKeys?: string[] } = {}) {
  const store = createMemoryStore();
  const keys = createKeys('test:');
  const secretKeys = opts.secretKeys ?? [secret()];
  let clock = Date.UTC(2026, 0, 1);
  const deps = { store, keys, secretBox: createSecretBox(secretKeys), jwksFile: null, now: () => clock };
  return {
    store,
    keys,
    secretKeys,
    deps,
    load: (extra: Partial<Parameters<typeof loadOrCreateSigningKeys>[0]> = {}) => loadOrCreateSigningKeys({ ...deps, ...extra }),
    rotate: (retireAfterMs = HOUR, propagationMs?: number) => rotateSigningKeys(deps, { retireAfterMs, ...(propagationMs === undefined ? {} : { propagationMs }) }),
    now: () => clock,
    advance: (ms: number) => void (clock += ms),
    raw: () => store.get(keys.oidcSigningKeys()),
  };
}

const kids = (ring: KeyRing) => ring.jwks.keys.map((k) => k.kid);

describe('first start', () => {
  it('creates one current ES256 key, private for oidc-provider and public for the JWKS', async () => {
    const t = setup();
    const ring = await t.load();
    expect(ring.jwks.keys).toHaveLength(1);
    expect(ring.jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: ring.current, d: expect.any(String) });
    expect(ring.currentAlg).toBe('ES256');
    expect(ring.publicJwks).toEqual([{ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: ring.current, x: expect.any(String), y: expect.any(String) }]);
  });

  it('a second start reuses the same key', async () => {
    const t = setup();
    const first = await t.load();
    const second = await t.load();
    expect(second.jwks).toEqual(first.jwks);
  });

  it('two instances starting together end with one ring and the same signing key', async () => {
    const t = setup();
    const [a, b, c] = await Promise.all([t.load(), t.load(), t.load()]);
    expect(b.current).toBe(a.current);
    expect(c.current).toBe(a.current);
    expect(JSON.parse((await t.raw())!)).toHaveLength(1);
  });

  it('can create an EdDSA (Ed25519) key instead', async () => {
    const ring = await setup().load({ alg: 'EdDSA' });
    expect(ring.jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(ring.currentAlg).toBe('EdDSA');
  });

  it('the ring in the store is sealed: no private component in clear, and it never expires', async () => {
    const t = setup();
    const ring = await t.load();
    const raw = (await t.raw())!;
    expect(raw).not.toContain('"d"');
    expect(raw).not.toContain(ring.jwks.keys[0]!.d);
    expect(JSON.parse(raw)).toEqual([{ kid: ring.current, alg: 'ES256', state: 'current', createdAt: Date.UTC(2026, 0, 1), jwk: expect.stringMatching(/^v1\./) }]);
    expect(await t.store.pttl(t.keys.oidcSigningKeys())).toBe(-1);
  });

  it('a token signed with the first key verifies against the published JWKS', async () => {
    const ring = await setup().load();
    const signing = ring.jwks.keys[0]!;
    const jwt = await new SignJWT({ sub: 'acme|zhang.san' }).setProtectedHeader({ alg: signing.alg!, kid: signing.kid! }).sign(await importJWK(signing, signing.alg));
    const { payload } = await jwtVerify(jwt, createLocalJWKSet({ keys: ring.publicJwks }));
    expect(payload.sub).toBe('acme|zhang.san');
    expect(decodeProtectedHeader(jwt).kid).toBe(ring.current);
  });
});

describe('SECRET_KEYS', () => {
  it('without the key that sealed the ring, start-up stops naming SECRET_KEYS', async () => {
    const t = setup();
    await t.load();
    await expect(t.load({ secretBox: createSecretBox([secret()]) })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/^SECRET_KEYS: cannot open OIDC signing key /),
    });
  });

  it('a rotation reseals the ring with the first secret key, so the older one can be dropped', async () => {
    const t = setup();
    await t.load();
    const newer = secret();
    const both = createSecretBox([newer, ...t.secretKeys]);
    await rotateSigningKeys({ ...t.deps, secretBox: both }, { retireAfterMs: HOUR });
    const ring = await t.load({ secretBox: createSecretBox([newer]) });
    expect(ring.jwks.keys).toHaveLength(2);
  });

  it('a ring that is not what this module writes is refused as internal', async () => {
    const t = setup();
    await t.store.compareAndSet(t.keys.oidcSigningKeys(), null, JSON.stringify([{ kid: 'a', state: 'next' }]));
    await expect(t.load()).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('malformed') });
  });
});

describe('rotation (publish before sign)', () => {
  it('the first rotation publishes a next key but keeps signing with the current one', async () => {
    const t = setup();
    const before = await t.load();
    const states = await t.rotate();
    expect(states.map((s) => [s.state, s.kid === before.current])).toEqual([
      ['current', true],
      ['next', false],
    ]);
    const after = await t.load();
    expect(after.current).toBe(before.current);
    expect(kids(after)).toEqual([before.current, states[1]!.kid]);
    expect(after.publicJwks.map((k) => k.kid)).toEqual(kids(after));
  });

  it('the next rotation promotes a key published for the propagation delay: it signs at once; the old one stays published as retired', async () => {
    const t = setup();
    const k1 = (await t.load()).current;
    const k2 = (await t.rotate())[1]!.kid;
    t.advance(DEFAULT_PROPAGATION_MS);
    const states = await t.rotate(2 * HOUR);
    const k3 = states.find((s) => s.state === 'next')!.kid;
    const at = Date.UTC(2026, 0, 1) + DEFAULT_PROPAGATION_MS;
    expect(states).toEqual([
      { kid: k2, alg: 'ES256', state: 'current', createdAt: expect.any(Number), activeFrom: at },
      { kid: k3, alg: 'ES256', state: 'next', createdAt: expect.any(Number) },
      { kid: k1, alg: 'ES256', state: 'retired', createdAt: expect.any(Number), retireAfter: at + 2 * HOUR },
    ]);
    const ring = await t.load();
    expect(ring.current).toBe(k2);
    expect(ring.reviewAt).toBeNull();
    expect(kids(ring)).toEqual([k2, k3, k1]);
    expect(ring.publicJwks.every((k) => !('d' in k))).toBe(true);
  });

  it('a key promoted before it was published for the propagation delay does not sign yet: the key before it signs until then', async () => {
    const t = setup();
    const k1 = (await t.load()).current;
    const k2 = (await t.rotate())[1]!.kid;
    const published = t.now();
    t.advance(60_000);
    const states = await t.rotate(2 * HOUR);
    const activeFrom = published + DEFAULT_PROPAGATION_MS;
    expect(states.find((s) => s.kid === k2)).toMatchObject({ state: 'current', activeFrom });
    // The retired key's time counts from when it stops signing, not from the rotation.
    expect(states.find((s) => s.kid === k1)).toMatchObject({ state: 'retired', retireAfter: activeFrom + 2 * HOUR });
    const before = await t.load();
    expect(before.current).toBe(k1);
    expect(kids(before)).toContain(k2);
    expect(before.reviewAt).toBe(activeFrom);
    t.advance(activeFrom - 1 - t.now());
    expect((await t.load()).current).toBe(k1);
    t.advance(1);
    const after = await t.load();
    expect(after.current).toBe(k2);
    expect(kids(after)).toContain(k1);
    expect(after.reviewAt).toBeNull();
  });

  it('three rotations in a row: the key that signed first keeps signing, and stays published, until a key published long enough takes over', async () => {
    const t = setup();
    const k1 = (await t.load()).current;
    const k2 = (await t.rotate())[1]!.kid;
    await t.rotate(HOUR);
    const states = await t.rotate(HOUR);
    const k3 = states.find((s) => s.state === 'current')!.kid;
    expect(k3).not.toBe(k2);
    expect((await t.load()).current).toBe(k1);
    t.advance(DEFAULT_PROPAGATION_MS);
    const ring = await t.load();
    expect(ring.current).toBe(k3);
    // k1 signed until now: published for another hour from here.
    t.advance(HOUR - 1);
    expect(kids(await t.load())).toContain(k1);
  });

  it('a propagation of 0 makes a promoted key sign at once', async () => {
    const t = setup();
    await t.load();
    const k2 = (await t.rotate())[1]!.kid;
    await t.rotate(HOUR, 0);
    expect((await t.load()).current).toBe(k2);
  });

  it('a retired key is no longer published after retireAfter, and the next rotation drops it', async () => {
    const t = setup();
    const k1 = (await t.load()).current;
    await t.rotate();
    await t.rotate(HOUR);
    expect(kids(await t.load())).toContain(k1);
    t.advance(DEFAULT_PROPAGATION_MS + HOUR);
    expect(kids(await t.load())).not.toContain(k1);
    await t.rotate(HOUR);
    expect(JSON.parse((await t.raw())!).map((e: { kid: string }) => e.kid)).not.toContain(k1);
  });

  it('rotating an empty store creates a current and a next key', async () => {
    const t = setup();
    const states = await t.rotate();
    expect(states.map((s) => s.state)).toEqual(['current', 'next']);
  });

  it('concurrent rotations lose no key: the result is that of the same rotations one after another', async () => {
    const t = setup();
    const k1 = (await t.load()).current;
    const results = await Promise.all([t.rotate(), t.rotate(), t.rotate()]);
    expect(results).toHaveLength(3);
    const ring = JSON.parse((await t.raw())!) as { kid: string; state: string }[];
    expect(ring.map((e) => e.state).sort()).toEqual(['current', 'next', 'retired', 'retired']);
    expect(ring.map((e) => e.kid)).toContain(k1);
  });

  it('the states answered never carry key material', async () => {
    const t = setup();
    await t.load();
    const states = await t.rotate();
    for (const s of states) expect(Object.keys(s).sort()).toEqual(['alg', 'createdAt', 'kid', 'state']);
  });
});
