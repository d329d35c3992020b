/**
 * The RSA key pairs of a test run, made once by global-setup and handed to every worker through
 * vitest's provide / inject: a 3072-bit pair takes up to a second to generate, and a fresh one per
 * test file cost more than any test. Held in memory only; never written to a file.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';

export interface PemPair {
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface TestKeys {
  /** The bridge's pair: KOO_PRIVATE_KEY of every test bridge, and what clientSecrets are encrypted for. */
  rsa3072: PemPair;
  /** A pair too short for KooGallery (2048 bits), for the tests that prove such a key is refused. */
  rsa2048: PemPair;
}

const generate = promisify(generateKeyPair);

const pemPair = async (modulusLength: number): Promise<PemPair> => {
  const { privateKey, publicKey } = await generate('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
};

/** Both pairs, generated in parallel off the main thread (libuv's pool). */
export async function generateTestKeys(): Promise<TestKeys> {
  const [rsa3072, rsa2048] = await Promise.all([pemPair(3072), pemPair(2048)]);
  return { rsa3072, rsa2048 };
}
