/**
 * ID-token signing keys on a real Redis: instances starting together on separate connections
 * agree on one ring, and `koobridge keys rotate` rotates the ring the services read.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadOrCreateSigningKeys } from '../../src/oidc/signing-keys.js';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { createRedisStore } from '../../src/store/redis.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import type { Store } from '../../src/store/types.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

describe('OIDC signing keys on redis', () => {
  const secretKeys = [randomBytes(32).toString('base64')];
  const secretBox = createSecretBox(secretKeys);
  // A ring of its own per test (a prefix no other test uses), so each starts from an empty store.
  let prefix: string;
  let keys: Keys;
  beforeEach(() => {
    // Short: REDIS_KEY_PREFIX allows at most 32 characters.
    prefix = uniquePrefix('sk');
    keys = createKeys(prefix);
  });
  const stores: Store[] = [];
  const env = () => ({ REDIS_URL: redisUrl(), SECRET_KEYS: secretKeys.join(','), REDIS_KEY_PREFIX: prefix });
  const load = (store: Store) => loadOrCreateSigningKeys({ store, keys, secretBox, jwksFile: null });

  beforeAll(() => {
    for (let i = 0; i < 4; i++) stores.push(createRedisStore({ url: redisUrl() }));
  });
  afterAll(() => Promise.all(stores.map((s) => s.close())));

  it('four instances starting together on their own connections agree on one signing key', async () => {
    const rings = await Promise.all(stores.map(load));
    expect(new Set(rings.map((r) => r.current)).size).toBe(1);
    expect(JSON.parse((await stores[0]!.get(keys.oidcSigningKeys()))!)).toHaveLength(1);
  });

  it('keys rotate publishes a next key; a second rotate makes it sign and retires the old one', async () => {
    const k1 = (await load(stores[0]!)).current;

    const first = io();
    expect(await runCli(['keys', 'rotate'], env(), first.io)).toBe(0);
    const afterFirst = await load(stores[1]!);
    expect(afterFirst.current).toBe(k1);
    const k2 = afterFirst.jwks.keys[1]!.kid!;
    expect(first.out()).toContain(`current  ${k1}  ES256`);
    expect(first.out()).toContain(`next     ${k2}  ES256`);
    expect(first.out()).toContain('no restart needed');

    const second = io();
    // Right after the first: --propagation 0s says the new key was published long enough.
    expect(await runCli(['keys', 'rotate', '--retire-after', '2h', '--propagation', '0s'], env(), second.io)).toBe(0);
    const afterSecond = await load(stores[2]!);
    expect(afterSecond.current).toBe(k2);
    expect(afterSecond.jwks.keys.map((k) => k.kid)).toEqual([k2, expect.any(String), k1]);
    expect(second.out()).toMatch(new RegExp(`retired  ${k1}  ES256  published for verification until \\d{4}-`));
    expect(second.out()).toContain(`current  ${k2}  ES256  signs ID tokens\n`);
  });

  it('a second rotate right after the first does not let the new key sign before the propagation delay, and says from when it will', async () => {
    const k1 = (await load(stores[0]!)).current;
    expect(await runCli(['keys', 'rotate'], env(), io().io)).toBe(0);
    const second = io();
    expect(await runCli(['keys', 'rotate', '--propagation', '10m'], env(), second.io)).toBe(0);
    const ring = await load(stores[1]!);
    expect(ring.current).toBe(k1);
    expect(second.out()).toMatch(/current {2}\S+ {2}ES256 {2}published; signs ID tokens from \d{4}-\d\d-\d\dT/);
    const bad = io();
    expect(await runCli(['keys', 'rotate', '--propagation', 'later'], env(), bad.io)).toBe(1);
    expect(bad.err()).toContain('--propagation must be a duration');
  });

  it('keys rotate prints kids and states only, never key material', async () => {
    const t = io();
    expect(await runCli(['keys', 'rotate'], env(), t.io)).toBe(0);
    const ring = await load(stores[3]!);
    for (const key of ring.jwks.keys) {
      expect(t.out()).not.toContain(key.d!);
      expect(t.out()).not.toContain(key.x!);
    }
  });

  it('keys rotate without REDIS_URL says rotation needs the shared store and exits 1', async () => {
    const t = io();
    expect(await runCli(['keys', 'rotate'], { SECRET_KEYS: secretKeys[0] }, t.io)).toBe(1);
    expect(t.err()).toContain('keys rotate works on the shared store: set REDIS_URL');
  });

  it('keys rotate without SECRET_KEYS, or with a bad option, exits 1 naming what is wrong', async () => {
    const noSecret = io();
    expect(await runCli(['keys', 'rotate'], { REDIS_URL: redisUrl() }, noSecret.io)).toBe(1);
    expect(noSecret.err()).toContain('SECRET_KEYS: required');
    const badPrefix = io();
    expect(await runCli(['keys', 'rotate'], { ...env(), REDIS_KEY_PREFIX: 'bad prefix' }, badPrefix.io)).toBe(1);
    expect(badPrefix.err()).toContain('REDIS_KEY_PREFIX:');
    const badDuration = io();
    expect(await runCli(['keys', 'rotate', '--retire-after', 'soon'], env(), badDuration.io)).toBe(1);
    expect(badDuration.err()).toContain('--retire-after');
    const badAlg = io();
    expect(await runCli(['keys', 'rotate', '--alg', 'RS256'], env(), badAlg.io)).toBe(1);
    expect(badAlg.err()).toContain('--alg must be one of ES256, EdDSA');
  });
});
