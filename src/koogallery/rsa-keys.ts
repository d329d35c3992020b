/**
 * The bridge's RSA key pair: KooGallery encrypts each tenant's clientSecret with the public half
 * (spec §3), so the private half is the one secret that unlocks every tenant's IdP credential.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { KbError } from '../shared/errors.js';

/** KooGallery requires an app-credential public key of at least 3072 bits (spec §3). */
export const MIN_RSA_BITS = 3072;

/**
 * Reads a PEM private key (PKCS#1 `BEGIN RSA PRIVATE KEY` or PKCS#8 `BEGIN PRIVATE KEY`) and
 * refuses anything KooGallery would not accept. Messages describe the problem, never the key.
 */
export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    // The cause is dropped on purpose: parser errors can echo fragments of what they were given.
    throw new KbError('config_invalid', 'the private key is not a readable, unencrypted PEM private key (PKCS#1 or PKCS#8)');
  }
  // 'rsa-pss' keys are refused too: they cannot do RSA-OAEP decryption.
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KbError('config_invalid', `the private key is a ${key.asymmetricKeyType ?? 'unknown'} key; an RSA key is required`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) {
    throw new KbError('config_invalid', `the RSA private key has ${bits} bits; KooGallery requires at least ${MIN_RSA_BITS}`);
  }
  return key;
}

/** The public half as SPKI PEM (`BEGIN PUBLIC KEY`), the form uploaded to KooGallery. */
export function publicKeyPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/** A fresh pair: private key as PKCS#8 PEM, public key as SPKI PEM. */
export function generateRsaKeyPair(bits = MIN_RSA_BITS): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}
