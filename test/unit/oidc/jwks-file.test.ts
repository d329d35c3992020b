/**
 * OIDC_JWKS_FILE: operator-managed signing keys. Accepted: private EC P-256 / OKP Ed25519 JWKs;
 * every other kind of file or key stops start-up with the variable and the key named.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { generateSigningJwk } from '../../../src/oidc/signing-jwk.js';
import { loadOrCreateSigningKeys } from '../../../src/oidc/signing-keys.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createSecretBox } from '../../../src/store/secret-box.js';
import { shortKeyPair } from '../../support/keys.js';

const store = createMemoryStore();
const secretBox = createSecretBox([Buffer.alloc(32, 7).toString('base64')]);
const keys = createKeys('test:');

const fromFile = (content: unknown) =>
  loadOrCreateSigningKeys({
    store,
    keys,
    secretBox,
    jwksFile: 'jwks.json',
    readFile: () => (typeof content === 'string' ? content : JSON.stringify(content)),
  });

function nodeJwk(type: 'ec' | 'ed25519' | 'rsa', namedCurve = 'P-256'): JWK {
  // RSA: the run's pair (global-setup); making one per call took most of this file's time.
  const privateKey =
    type === 'ec' ? generateKeyPairSync('ec', { namedCurve }).privateKey
    : type === 'rsa' ? createPrivateKey(shortKeyPair().privateKeyPem)
    : generateKeyPairSync('ed25519').privateKey;
  return privateKey.export({ format: 'jwk' }) as JWK;
}

async function refusal(content: unknown): Promise<string> {
  try {
    await fromFile(content);
  } catch (err) {
    expect(err).toMatchObject({ code: 'config_invalid' });
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('an OIDC_JWKS_FILE that is accepted', () => {
  it('gives its keys in file order (the first signs), public halves for the JWKS, and ignores the store', async () => {
    const ec = { ...(await generateSigningJwk('ES256')), kid: 'ops-2026-01' };
    const ed = nodeJwk('ed25519');
    const ring = await fromFile({ keys: [ec, ed] });
    expect(ring.current).toBe('ops-2026-01');
    expect(ring.currentAlg).toBe('ES256');
    expect(ring.jwks.keys.map((k) => [k.kty, k.alg, k.use])).toEqual([
      ['EC', 'ES256', 'sig'],
      ['OKP', 'EdDSA', 'sig'],
    ]);
    expect(ring.publicJwks.every((k) => k.d === undefined)).toBe(true);
    expect(await store.get(keys.oidcSigningKeys())).toBeNull();
  });

  it('a key without kid gets its RFC 7638 thumbprint as kid', async () => {
    const jwk = nodeJwk('ec');
    const ring = await fromFile({ keys: [jwk] });
    expect(ring.current).toBe(await calculateJwkThumbprint(jwk, 'sha256'));
  });

  it('members other than the key itself (key_ops, x5c) are dropped', async () => {
    const jwk = { ...nodeJwk('ec'), kid: 'k', key_ops: ['sign'], x5c: ['AAAA'] };
    const [key] = (await fromFile({ keys: [jwk] })).jwks.keys;
    expect(Object.keys(key!).sort()).toEqual(['alg', 'crv', 'd', 'kid', 'kty', 'use', 'x', 'y']);
  });
});

describe('an OIDC_JWKS_FILE that is refused', () => {
  it('does not exist', async () => {
    const err = loadOrCreateSigningKeys({ store, keys, secretBox, jwksFile: '/nonexistent/jwks.json' });
    await expect(err).rejects.toThrow('OIDC_JWKS_FILE: /nonexistent/jwks.json does not exist');
  });

  it('is not JSON (and the message quotes nothing of it)', async () => {
    expect(await refusal('{"keys":[{"d":"c2VjcmV0"')).toBe('OIDC_JWKS_FILE: jwks.json is not valid JSON');
  });

  it.each([
    ['an array', [nodeJwk('ec')]],
    ['an object without keys', { key: {} }],
  ])('is %s instead of { "keys": [...] }', async (_name, content) => {
    expect(await refusal(content)).toBe('OIDC_JWKS_FILE: jwks.json must hold a JSON object { "keys": [private JWKs] }');
  });

  it('holds no key', async () => {
    expect(await refusal({ keys: [] })).toMatch(/^OIDC_JWKS_FILE: jwks\.json holds no key/);
  });

  const ec = () => nodeJwk('ec');
  const cases: [string, () => unknown, string][] = [
    ['an RSA key', () => nodeJwk('rsa'), 'is an RSA key'],
    ['a symmetric key', () => ({ kty: 'oct', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ' }), 'is a symmetric (oct) key'],
    ['a public key only', () => createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey).export({ format: 'jwk' }), 'is a public key; a private key (with "d") is required'],
    ['a P-384 key', () => nodeJwk('ec', 'P-384'), 'has kty "EC" crv "P-384"'],
    ['an alg that does not match the key', () => ({ ...ec(), alg: 'RS256' }), 'has alg "RS256", but a EC P-256 key signs ES256'],
    ['an encryption key', () => ({ ...ec(), use: 'enc' }), 'has use "enc"'],
    ['an empty kid', () => ({ ...ec(), kid: '' }), 'has a kid that is not a non-empty string'],
    ['a key without its public part', () => ({ ...ec(), y: undefined }), 'lacks its public part (x, y)'],
    ['a private part of another key', () => ({ ...ec(), d: ec().d }), 'has a private part "d" that does not belong to its public part'],
    ['an Ed25519 private part of another key', () => ({ ...nodeJwk('ed25519'), d: nodeJwk('ed25519').d }), 'has a private part "d" that does not belong to its public part'],
    ['garbage in the key members', () => ({ ...ec(), x: 'AAAA' }), 'does not decode to a valid key'],
    ['not an object', () => 'key', 'is not a JSON object'],
  ];

  it.each(cases)('holds %s (named by its position)', async (_name, bad, problem) => {
    expect((await refusal({ keys: [ec(), bad()] })).startsWith(`OIDC_JWKS_FILE: key #2 ${problem}`)).toBe(true);
  });

  it('names the accepted kinds when it refuses a kind', async () => {
    expect(await refusal({ keys: [nodeJwk('rsa')] })).toBe('OIDC_JWKS_FILE: key #1 is an RSA key; only private EC P-256 (ES256) or OKP Ed25519 (EdDSA) keys are accepted');
  });

  it('repeats a kid', async () => {
    expect(await refusal({ keys: [{ ...ec(), kid: 'a' }, { ...ec(), kid: 'a' }] })).toBe('OIDC_JWKS_FILE: key #2 repeats kid "a"');
  });

  it('never puts private key material in the message', async () => {
    const jwk = { ...ec(), alg: 'HS256' };
    expect(await refusal({ keys: [jwk] })).not.toContain(jwk.d!);
  });
});
