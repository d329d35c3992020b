import { execFileSync, spawnSync } from 'node:child_process';
import { constants, createPrivateKey, createPublicKey, publicEncrypt, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptClientSecret, encryptClientSecret } from '../../../src/koogallery/client-secret.js';
import { foreignPublicKey, testKeyPair } from '../../support/keys.js';
import { oaepEncrypt } from './oaep-encoder.js';

const SECRET = 'Zq8-client-secret_0123456789abcdef';
const CHINESE_SECRET = '客户端密钥-华为云商店-2024';

let key: KeyObject; // the bridge's private key
let publicKey: KeyObject;
let otherPublicKey: KeyObject; // someone else's key pair
let dir: string;

beforeAll(() => {
  key = createPrivateKey(testKeyPair().privateKeyPem);
  publicKey = createPublicKey(testKeyPair().publicKeyPem);
  otherPublicKey = foreignPublicKey();
  dir = mkdtempSync(join(tmpdir(), 'koobridge-oaep-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

/** Java's `OAEPWithSHA-256AndMGF1Padding`: SHA-256 label hash, MGF1-SHA1 — via openssl, as the spec suggests. */
function encryptMixed(plaintext: string, pub: KeyObject = publicKey): Buffer {
  if (!hasOpenssl) return oaepEncrypt(pub, Buffer.from(plaintext, 'utf8'), 'sha256', 'sha1');
  const pubFile = join(dir, 'pub.pem');
  const inFile = join(dir, 'in.bin');
  const outFile = join(dir, 'out.bin');
  writeFileSync(pubFile, pub.export({ type: 'spki', format: 'pem' }));
  writeFileSync(inFile, plaintext, 'utf8');
  execFileSync('openssl', [
    'pkeyutl', '-encrypt', '-pubin', '-inkey', pubFile, '-in', inFile, '-out', outFile,
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha1',
  ]);
  return readFileSync(outFile);
}

const encryptNode = (plaintext: string, oaepHash: 'sha256' | 'sha1', pub: KeyObject = publicKey): Buffer =>
  publicEncrypt({ key: pub, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, Buffer.from(plaintext, 'utf8'));

const undecryptable = (ciphertext: string) => {
  try {
    decryptClientSecret(ciphertext, key);
  } catch (err) {
    expect(err).toMatchObject({ code: 'secret_undecryptable' });
    const message = (err as Error).message;
    expect(message).toMatch(/could not be decrypted.*KOO_PRIVATE_KEY/);
    if (ciphertext.trim().length >= 12) expect(message).not.toContain(ciphertext.trim().slice(0, 12));
    return;
  }
  throw new Error('expected secret_undecryptable');
};

describe('decryptClientSecret (spec §3)', () => {
  describe('OAEP variants', () => {
    it('decrypts OAEP SHA-256 with MGF1-SHA256', () => {
      expect(decryptClientSecret(encryptNode(SECRET, 'sha256').toString('base64'), key)).toBe(SECRET);
    });

    it('decrypts OAEP SHA-1 with MGF1-SHA1', () => {
      expect(decryptClientSecret(encryptNode(SECRET, 'sha1').toString('base64'), key)).toBe(SECRET);
    });

    it(`decrypts OAEP SHA-256 with MGF1-SHA1, Java's default (${hasOpenssl ? 'openssl' : 'test encoder'})`, () => {
      expect(decryptClientSecret(encryptMixed(SECRET).toString('base64'), key)).toBe(SECRET);
    });

    it('decrypts the mixed variant from the independent test encoder as well', () => {
      expect(decryptClientSecret(oaepEncrypt(publicKey, Buffer.from(SECRET), 'sha256', 'sha1').toString('base64'), key)).toBe(SECRET);
    });

    it('decrypts a secret in Chinese characters, in every variant', () => {
      for (const c of [encryptNode(CHINESE_SECRET, 'sha256'), encryptNode(CHINESE_SECRET, 'sha1'), encryptMixed(CHINESE_SECRET)]) {
        expect(decryptClientSecret(c.toString('base64'), key)).toBe(CHINESE_SECRET);
      }
    });

    it('refuses PKCS#1 v1.5 padding', () => {
      const c = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(SECRET));
      undecryptable(c.toString('base64'));
    });

    it('refuses OAEP with MGF1-SHA256 but a SHA-1 label hash (not a variant we accept)', () => {
      undecryptable(oaepEncrypt(publicKey, Buffer.from(SECRET), 'sha1', 'sha256').toString('base64'));
    });

    it('refuses a ciphertext made for another public key, in every variant', () => {
      undecryptable(encryptNode(SECRET, 'sha256', otherPublicKey).toString('base64'));
      undecryptable(encryptNode(SECRET, 'sha1', otherPublicKey).toString('base64'));
      undecryptable(encryptMixed(SECRET, otherPublicKey).toString('base64'));
    });

    it('refuses an empty plaintext', () => {
      undecryptable(encryptNode('', 'sha256').toString('base64'));
    });

    it('refuses a plaintext that is not UTF-8', () => {
      const c = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from([0xc3, 0x28, 0xff]));
      undecryptable(c.toString('base64'));
    });
  });

  describe('text encodings', () => {
    const bytes = () => encryptMixed(SECRET);

    it('accepts standard Base64 with and without padding', () => {
      // 384 bytes encode to 512 characters with no padding, so make some: strip or keep any '='.
      const b64 = bytes().toString('base64');
      expect(decryptClientSecret(b64, key)).toBe(SECRET);
      expect(decryptClientSecret(b64.replace(/=+$/, ''), key)).toBe(SECRET);
    });

    it('accepts URL-safe Base64 with and without padding', () => {
      let c = bytes();
      // Make sure the URL-safe alphabet actually shows up.
      while (!/[+/]/.test(c.toString('base64'))) c = bytes();
      const url = c.toString('base64url');
      expect(url).toMatch(/[-_]/);
      expect(decryptClientSecret(url, key)).toBe(SECRET);
      expect(decryptClientSecret(`${url}${'='.repeat((4 - (url.length % 4)) % 4)}`, key)).toBe(SECRET);
    });

    it('trims surrounding whitespace and tolerates line-wrapped Base64 (old Java encoders)', () => {
      const b64 = bytes().toString('base64');
      expect(decryptClientSecret(`\n  ${b64}\r\n`, key)).toBe(SECRET);
      const wrapped = b64.match(/.{1,76}/g)!.join('\r\n');
      expect(decryptClientSecret(wrapped, key)).toBe(SECRET);
    });

    it('refuses a truncated ciphertext', () => {
      const b64 = bytes().toString('base64');
      undecryptable(b64.slice(0, -8));
      undecryptable(b64.slice(4));
    });

    it('refuses garbage', () => {
      for (const text of ['', '   ', 'not base64 at all!', 'A'.repeat(512), '%%%%', `${bytes().toString('base64')}AAAA`, '===='])
        undecryptable(text);
    });

    it('refuses a ciphertext with one flipped byte', () => {
      const c = bytes();
      c[100] = c[100]! ^ 0x01;
      undecryptable(c.toString('base64'));
    });

    it('refuses a ciphertext not smaller than the modulus', () => {
      undecryptable(Buffer.alloc(384, 0xff).toString('base64'));
    });
  });

  it('works with the key as loaded from its PEM', () => {
    const pem = createPublicKey(key).export({ type: 'spki', format: 'pem' });
    expect(decryptClientSecret(encryptMixed(SECRET, createPublicKey(pem)).toString('base64'), key)).toBe(SECRET);
  });
});

describe('encryptClientSecret (spec §3, as KooGallery sends it)', () => {
  it('encrypts to Base64 of one modulus length that decryption reads back, with SHA-256 and SHA-1', () => {
    for (const hash of ['sha256', 'sha1'] as const) {
      const text = encryptClientSecret(CHINESE_SECRET, publicKey, hash);
      expect(Buffer.from(text, 'base64')).toHaveLength(384);
      expect(decryptClientSecret(text, key)).toBe(CHINESE_SECRET);
    }
  });

  it('takes the public key as PEM, and never encrypts twice alike (OAEP is randomized)', () => {
    const pem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    const a = encryptClientSecret(SECRET, pem);
    expect(a).not.toBe(encryptClientSecret(SECRET, pem));
    expect(decryptClientSecret(a, key)).toBe(SECRET);
  });

  it('made with another key does not decrypt with ours', () => {
    expect(() => decryptClientSecret(encryptClientSecret(SECRET, otherPublicKey), key)).toThrow(expect.objectContaining({ code: 'secret_undecryptable' }));
  });
});
