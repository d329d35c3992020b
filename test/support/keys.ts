/** The run's RSA key pairs inside a test worker (made once by global-setup, see test-keys.ts). */
import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { inject } from 'vitest';
import type { PemPair } from './test-keys.js';

/** The bridge's 3072-bit pair, the same for every file of the run. */
export const testKeyPair = (): PemPair => inject('testKeys').rsa3072;

/** A 2048-bit pair: a key KooGallery refuses as too short. */
export const shortKeyPair = (): PemPair => inject('testKeys').rsa2048;

/**
 * Someone else's 3072-bit RSA public key, to encrypt what our private key must fail to decrypt.
 * Encryption needs only a modulus and an exponent, so a random odd 3072-bit number stands in for
 * one: nothing to generate, and a ciphertext of exactly the size a real foreign key gives.
 */
export function foreignPublicKey(): KeyObject {
  const n = randomBytes(384);
  n[0]! |= 0x80; // exactly 3072 bits
  n[383]! |= 1; // odd, as every RSA modulus is
  return createPublicKey({ key: { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB' }, format: 'jwk' });
}
