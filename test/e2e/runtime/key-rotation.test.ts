/**
 * Signing-key rotation across running instances, without a restart: two bridges on one real
 * Redis, `koobridge keys rotate` run through the CLI function. Both publish every new key before
 * either signs with it, both switch signers, and an ID token signed by either verifies against
 * either's JWKS at every step.
 */
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { KOOGALLERY_CODE_GRANT } from '../../../src/oidc/grant-type-names.js';
import { DEFAULT_PROPAGATION_MS } from '../../../src/oidc/key-timing.js';
import { SECRET_KEY, type TestBridge } from '../../support/bridge.js';
import { closeAll } from '../../support/cleanup.js';
import { startE2E, type E2E } from '../../support/e2e.js';
import { startRp, type TestRp } from '../../support/oidc-rp.js';
import { redisUrl } from '../../support/redis.js';
import { steppingClock } from '../../support/time.js';

describe('signing-key rotation reaches every running instance', () => {
  const clock = steppingClock();
  let rp: TestRp;
  let e2e: E2E;
  let one: TestBridge;
  let two: TestBridge;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { clock, env: { OIDC_CLIENTS_FILE: rp.clientsFile } } });
    one = e2e.bridge;
    two = await e2e.startSecondBridge();
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  /** An ID token from this instance: the native apps' code exchange, no browser needed. */
  async function idTokenFrom(bridge: TestBridge): Promise<string> {
    const res = await fetch(`${bridge.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: KOOGALLERY_CODE_GRANT, client_id: 'desktop', code: e2e.sim.issueCode('acme', 'zhang.san'), tenant: 'acme', scope: 'openid' }),
    });
    const body = (await res.json()) as { id_token?: string };
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body.id_token!;
  }
  const jwksOf = async (bridge: TestBridge) => (await (await fetch(`${bridge.url}/oidc/jwks`)).json()) as JSONWebKeySet;
  const kidsOf = async (bridge: TestBridge) => (await jwksOf(bridge)).keys.map((k) => k.kid!);
  const signerOf = (token: string) => decodeProtectedHeader(token).kid!;

  /** Every token verifies against both instances' JWKS as they are now. */
  async function verifiesEverywhere(tokens: string[]): Promise<void> {
    for (const bridge of [one, two]) {
      const keys = createLocalJWKSet(await jwksOf(bridge));
      for (const token of tokens) await expect(jwtVerify(token, keys, { audience: 'desktop' })).resolves.toBeDefined();
    }
  }

  /** Polls (no fixed sleep) until `check` passes: pub/sub usually brings a change within milliseconds. */
  async function eventually(check: () => Promise<void>, what: string): Promise<void> {
    try {
      await vi.waitFor(check, { timeout: 10_000, interval: 100 });
    } catch (err) {
      throw new Error(`${what}: ${(err as Error).message}`);
    }
  }

  const rotate = async (...args: string[]) => {
    const out: string[] = [];
    const code = await runCli(['keys', 'rotate', ...args], { REDIS_URL: redisUrl(), SECRET_KEYS: SECRET_KEY, REDIS_KEY_PREFIX: one.prefix }, { out: (t) => void out.push(t), err: (t) => void out.push(t) });
    expect(code, out.join('')).toBe(0);
    return out.join('');
  };

  it('rotate, rotate again at once, then the propagation delay: publish first everywhere, sign after, every token verifiable everywhere', async () => {
    const issued: string[] = [];
    const k1 = signerOf(await idTokenFrom(one));
    expect(await kidsOf(one)).toEqual([k1]);
    expect(await kidsOf(two)).toEqual([k1]);

    // 1. The first rotation publishes k2 on both instances; k1 goes on signing.
    await rotate();
    let k2 = '';
    await eventually(async () => {
      const [a, b] = [await kidsOf(one), await kidsOf(two)];
      expect(a).toHaveLength(2);
      expect(b).toEqual(a);
      k2 = a[1]!;
    }, 'both instances publish the next key');
    for (const bridge of [one, two]) issued.push(await idTokenFrom(bridge));
    expect(issued.map(signerOf)).toEqual([k1, k1]);
    await verifiesEverywhere(issued);

    // 2. A second rotation at once: k2 becomes current but was published moments ago, so it may
    //    not sign before the propagation delay; k1 signs on, k3 is published everywhere.
    const said = await rotate();
    expect(said).toMatch(new RegExp(`current {2}${k2} {2}ES256 {2}published; signs ID tokens from `));
    await eventually(async () => {
      const [a, b] = [await kidsOf(one), await kidsOf(two)];
      expect(a).toHaveLength(3);
      expect(b.sort()).toEqual([...a].sort());
    }, 'both instances publish the new next key');
    for (const bridge of [one, two]) issued.push(await idTokenFrom(bridge));
    expect(issued.slice(-2).map(signerOf)).toEqual([k1, k1]);
    await verifiesEverywhere(issued);

    // 3. The propagation delay passes (the instances' clock moves): both switch to k2, which both
    //    have published all along; k1 stays published (retired) for the tokens it signed.
    clock.advance(DEFAULT_PROPAGATION_MS);
    await eventually(async () => {
      const tokens = [await idTokenFrom(one), await idTokenFrom(two)];
      issued.push(...tokens);
      expect(tokens.map(signerOf)).toEqual([k2, k2]);
    }, 'both instances sign with the promoted key');
    for (const bridge of [one, two]) {
      const token = await idTokenFrom(bridge);
      issued.push(token);
      expect(await kidsOf(bridge)).toEqual(expect.arrayContaining([k1, k2]));
      expect((await kidsOf(bridge))[0]).toBe(k2);
    }
    await verifiesEverywhere(issued);
  });
});
