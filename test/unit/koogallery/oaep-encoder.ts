/**
 * Test-only RSA-OAEP encryption with independent label and MGF1 hashes (RFC 8017 §7.1.1), written
 * separately from the decoder under test. Used to craft padding for oaep.test.ts, and in place of
 * `openssl pkeyutl` where openssl is missing.
 */
import { constants, createHash, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

type Hash = 'sha1' | 'sha256';

function mask(seed: Buffer, length: number, hash: Hash): Buffer {
  const blocks: Buffer[] = [];
  for (let counter = 0; blocks.length * createHash(hash).digest().length < length; counter += 1) {
    const c = Buffer.from([counter >>> 24, (counter >>> 16) & 0xff, (counter >>> 8) & 0xff, counter & 0xff]);
    blocks.push(createHash(hash).update(Buffer.concat([seed, c])).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

const xorInto = (a: Buffer, b: Buffer): Buffer => Buffer.from(a.map((x, i) => x ^ b[i]!));

/** The encoded message EM for modulus length `k`; `tamper` may alter DB before masking. */
export function oaepEncode(message: Buffer, k: number, labelHash: Hash, mgfHash: Hash, tamper?: (db: Buffer) => void): Buffer {
  const lHash = createHash(labelHash).digest();
  const hLen = lHash.length;
  const db = Buffer.concat([lHash, Buffer.alloc(k - message.length - 2 * hLen - 2), Buffer.from([1]), message]);
  tamper?.(db);
  const seed = randomBytes(hLen);
  const maskedDb = xorInto(db, mask(seed, k - hLen - 1, mgfHash));
  const maskedSeed = xorInto(seed, mask(maskedDb, hLen, mgfHash));
  return Buffer.concat([Buffer.from([0]), maskedSeed, maskedDb]);
}

export function oaepEncrypt(publicKey: KeyObject, message: Buffer, labelHash: Hash, mgfHash: Hash): Buffer {
  const k = (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  return publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, oaepEncode(message, k, labelHash, mgfHash));
}
