import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox } from '../../../src/store/secret-box.js';

const newKey = () => randomBytes(32).toString('base64');
const AAD = 'tenant:acme:app:123:clientSecret';
const undecryptable = { code: 'internal', message: 'stored secret could not be decrypted (unknown key or tampered)' };

describe('secret box', () => {
  it('open returns what seal sealed, for the same aad', () => {
    const box = createSecretBox([newKey()]);
    for (const secret of ['s3cret', '', 'ünïcødé 😀', 'x'.repeat(10_000)]) {
      expect(box.open(box.seal(secret, AAD), AAD)).toBe(secret);
    }
  });

  it('the sealed form is v1.<keyId>.<iv>.<ciphertext>.<tag> in base64url and hides the plaintext', () => {
    const sealed = createSecretBox([newKey()]).seal('plain-secret', AAD);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain('plain-secret');
  });

  it('sealing the same value twice gives different ciphertexts (a fresh IV each time)', () => {
    const box = createSecretBox([newKey()]);
    expect(box.seal('same', AAD)).not.toBe(box.seal('same', AAD));
  });

  it('a ciphertext moved to another record (another aad) does not open', () => {
    const box = createSecretBox([newKey()]);
    const sealed = box.seal('s3cret', AAD);
    expect(() => box.open(sealed, 'tenant:evil:app:123:clientSecret')).toThrow(expect.objectContaining(undecryptable));
  });

  it('any tampered part does not open', () => {
    const box = createSecretBox([newKey()]);
    const parts = box.seal('s3cret-value', AAD).split('.');
    for (let i = 2; i < parts.length; i++) {
      const changed = [...parts];
      const p = changed[i]!;
      changed[i] = (p[0] === 'A' ? 'B' : 'A') + p.slice(1);
      expect(() => box.open(changed.join('.'), AAD)).toThrow(expect.objectContaining(undecryptable));
    }
    expect(() => box.open(parts.slice(0, 4).join('.'), AAD)).toThrow(expect.objectContaining(undecryptable));
    expect(() => box.open(`v2.${parts.slice(1).join('.')}`, AAD)).toThrow(expect.objectContaining(undecryptable));
    expect(() => box.open('not sealed at all', AAD)).toThrow(expect.objectContaining(undecryptable));
  });

  it('a value sealed with a key that is not configured does not open', () => {
    const sealed = createSecretBox([newKey()]).seal('s3cret', AAD);
    expect(() => createSecretBox([newKey()]).open(sealed, AAD)).toThrow(expect.objectContaining(undecryptable));
  });

  it('rotation: a value sealed with the old key opens with [new, old], and new seals use the new key', () => {
    const oldKey = newKey();
    const freshKey = newKey();
    const sealedOld = createSecretBox([oldKey]).seal('s3cret', AAD);
    const rotated = createSecretBox([freshKey, oldKey]);
    expect(rotated.open(sealedOld, AAD)).toBe('s3cret');
    const sealedNew = rotated.seal('s3cret', AAD);
    expect(sealedNew.split('.')[1]).not.toBe(sealedOld.split('.')[1]);
    expect(createSecretBox([freshKey]).open(sealedNew, AAD)).toBe('s3cret');
    expect(() => createSecretBox([oldKey]).open(sealedNew, AAD)).toThrow(expect.objectContaining(undecryptable));
  });

  it('keys may be standard or URL-safe Base64, with or without padding', () => {
    const raw = randomBytes(32);
    const a = createSecretBox([raw.toString('base64')]);
    const b = createSecretBox([raw.toString('base64url')]);
    expect(b.open(a.seal('x', AAD), AAD)).toBe('x');
  });

  it('a key that is not 32 bytes of Base64 is refused with config_invalid naming its position', () => {
    for (const bad of [randomBytes(16).toString('base64'), 'not base64 at all!', '', randomBytes(33).toString('base64')]) {
      expect(() => createSecretBox([newKey(), bad])).toThrow(
        expect.objectContaining({ code: 'config_invalid', message: 'SECRET_KEYS: key #2 is not 32 bytes of Base64 (make one with: openssl rand -base64 32)' }),
      );
    }
  });

  it('an empty key list is refused with config_invalid', () => {
    expect(() => createSecretBox([])).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });
});
