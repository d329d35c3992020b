/**
 * Decrypts the clientSecret that applicationSync delivers RSA-OAEP encrypted with our public key
 * (spec §3). Neither the OAEP hashes nor the text encoding are documented, so every variant a Java
 * sender commonly produces is tried; a ciphertext that fits none is refused as a whole. The other
 * direction, encrypting as KooGallery does, serves the self-check and the simulator.
 */
import { constants, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { KbError } from '../shared/errors.js';
import { emeOaepDecode } from './oaep.js';

const UNDECRYPTABLE =
  "clientSecret could not be decrypted with this bridge's private key (RSA-OAEP); check that the public key uploaded to KooGallery matches KOO_PRIVATE_KEY";

// Standard or URL-safe alphabet, padding optional. Mixed alphabets are tolerated: each character
// still has one meaning, and the length check below catches anything truncated.
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
// Line breaks and spaces inside the text are dropped as well as around it: old Java encoders
// (sun.misc.BASE64Encoder, commons-codec 1.4) wrap their output every 76 characters.
const ASCII_SPACE = /[\x20\t\r\n]/g;

const utf8 = new TextDecoder('utf-8', { fatal: true });

type Attempt = (key: KeyObject, ciphertext: Buffer) => Buffer;

// The two variants Node decodes natively come first; the mixed one, which needs our own padding
// decoder, last. A wrong guess costs one RSA private operation and nothing else.
const ATTEMPTS: readonly Attempt[] = [
  (key, c) => privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, c),
  (key, c) => privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, c),
  // Java's `RSA/ECB/OAEPWithSHA-256AndMGF1Padding` hashes the label with SHA-256 but masks with
  // MGF1-SHA1. privateDecrypt ties MGF1 to the OAEP hash, so this one decodes the padding itself.
  (key, c) => emeOaepDecode(rawRsaDecrypt(key, c), 'sha256', 'sha1'),
];

/** The clear clientSecret. Throws `secret_undecryptable`, never quoting ciphertext or plaintext. */
export function decryptClientSecret(ciphertext: string, privateKey: KeyObject): string {
  const modulusBytes = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
  const text = ciphertext.replace(ASCII_SPACE, '');
  if (!BASE64.test(text)) throw new KbError('secret_undecryptable', UNDECRYPTABLE);
  const bytes = Buffer.from(text, 'base64'); // Node's decoder reads both alphabets
  if (bytes.length !== modulusBytes) throw new KbError('secret_undecryptable', UNDECRYPTABLE);

  for (const attempt of ATTEMPTS) {
    let plain: Buffer;
    try {
      plain = attempt(privateKey, bytes);
    } catch {
      continue; // a wrong variant fails inside OpenSSL or our decoder; the next may fit
    }
    const secret = decodeUtf8(plain);
    plain.fill(0);
    if (secret !== null && secret !== '') return secret;
  }
  throw new KbError('secret_undecryptable', UNDECRYPTABLE);
}

/**
 * A clientSecret encrypted as KooGallery sends it: RSA-OAEP with the merchant's public key, Base64.
 * SHA-256 by default (Node ties MGF1 to the OAEP hash, so Java's mixed default is not made here;
 * decryption above reads it all the same).
 */
export function encryptClientSecret(plaintext: string, publicKey: KeyObject | string, oaepHash: 'sha256' | 'sha1' = 'sha256'): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, Buffer.from(plaintext, 'utf8')).toString('base64');
}

/** The encoded message EM = c^d mod n, left-padded to the modulus length. */
function rawRsaDecrypt(key: KeyObject, ciphertext: Buffer): Buffer {
  const em = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
  if (em.length === ciphertext.length) return em;
  // Defensive: OpenSSL returns the full width today, but a shorter answer would only have lost
  // leading zero bytes, and EME-OAEP needs them in place.
  const padded = Buffer.alloc(ciphertext.length);
  em.copy(padded, ciphertext.length - em.length);
  return padded;
}

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}
