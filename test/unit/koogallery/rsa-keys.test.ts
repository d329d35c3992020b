import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateRsaKeyPair, loadPrivateKey, publicKeyPem } from '../../../src/koogallery/rsa-keys.js';
import { shortKeyPair, testKeyPair } from '../../support/keys.js';

// The run's pair (global-setup) for the reading tests; only the generation test makes its own.
const pair = testKeyPair();
const pkcs1 = createPrivateKey(pair.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();

/** Runs `f`, expects config_invalid, and returns the message. */
function configError(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    expect(err).toMatchObject({ code: 'config_invalid' });
    return (err as Error).message;
  }
  throw new Error('expected config_invalid');
}

describe('generateRsaKeyPair', () => {
  it('makes a 3072-bit pair by default: PKCS#8 private, SPKI public', () => {
    const made = generateRsaKeyPair();
    expect(made.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(made.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(made.publicKeyPem).asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(publicKeyPem(loadPrivateKey(made.privateKeyPem))).toBe(made.publicKeyPem);
  });
});

describe('loadPrivateKey', () => {
  it('reads a PKCS#8 PEM', () => {
    const key = loadPrivateKey(pair.privateKeyPem);
    expect(key.type).toBe('private');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('reads a PKCS#1 PEM (BEGIN RSA PRIVATE KEY)', () => {
    expect(pkcs1).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(loadPrivateKey(pkcs1).asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('refuses an RSA key shorter than 3072 bits, saying how long it is', () => {
    expect(configError(() => loadPrivateKey(shortKeyPair().privateKeyPem))).toMatch(/2048 bits.*at least 3072/);
  });

  it('refuses a key that is not RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError(() => loadPrivateKey(ec))).toMatch(/ec key; an RSA key is required/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError(() => loadPrivateKey(ed))).toMatch(/ed25519 key/);
  });

  it('refuses an RSA-PSS key, which cannot decrypt', () => {
    // The kind is refused before the size is looked at, so a small (quick to make) key shows it.
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError(() => loadPrivateKey(pss))).toMatch(/rsa-pss key/);
  });

  it('refuses a public key, garbage and a passphrase-protected key without quoting them', () => {
    const body = pair.privateKeyPem.split('\n')[1]!;
    const broken = pair.privateKeyPem.replace(body, body.split('').reverse().join(''));
    const encrypted = createPrivateKey(pair.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
      .toString();
    for (const pem of [pair.publicKeyPem, 'not a key', broken, encrypted, '']) {
      const message = configError(() => loadPrivateKey(pem));
      expect(message).toMatch(/not a readable, unencrypted PEM private key/);
      expect(message).not.toContain(body.slice(0, 16));
      expect(message).not.toContain('MII');
    }
  });
});

describe('publicKeyPem', () => {
  it('derives the SPKI PEM of the private key', () => {
    expect(publicKeyPem(loadPrivateKey(pkcs1))).toBe(pair.publicKeyPem);
  });
});
