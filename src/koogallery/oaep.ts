/**
 * EME-OAEP decoding (RFC 8017 §7.1.2 step 3) with independent choices of label hash and MGF1
 * hash. Node's privateDecrypt cannot mix them, and Java's default SHA-256 OAEP does (see
 * client-secret.ts); the RSA operation itself stays in OpenSSL (RSA_NO_PADDING).
 *
 * The padding check is written to take the same path whatever the bytes are: a decoder that
 * answers faster for "bad first byte" than for "bad separator" is a padding oracle (Manger's
 * attack). Failures are accumulated into one flag and reported once, at the end.
 */
import { createHash } from 'node:crypto';

export type OaepHash = 'sha1' | 'sha256';

const HASH_BYTES: Record<OaepHash, number> = { sha1: 20, sha256: 32 };

/** MGF1 (RFC 8017 §B.2.1): `length` bytes of Hash(seed || counter) blocks. */
export function mgf1(seed: Buffer, length: number, hash: OaepHash): Buffer {
  const out = Buffer.alloc(length);
  const counter = Buffer.alloc(4);
  for (let done = 0, i = 0; done < length; i += 1) {
    counter.writeUInt32BE(i);
    const block = createHash(hash).update(seed).update(counter).digest();
    done += block.copy(out, done);
  }
  return out;
}

/**
 * Recovers the message M from an encoded message EM (exactly the modulus length, leading zero
 * included), with an empty label. Throws one undistinguished error when the padding is wrong.
 */
export function emeOaepDecode(em: Buffer, labelHash: OaepHash, mgfHash: OaepHash): Buffer {
  const hLen = HASH_BYTES[labelHash];
  const k = em.length;
  // Public sizes only: no secret-dependent branch yet.
  if (k < 2 * hLen + 2) throw new Error('decryption error');

  const lHash = createHash(labelHash).update(Buffer.alloc(0)).digest();
  const y = em[0]!;
  const maskedSeed = em.subarray(1, 1 + hLen);
  const maskedDb = em.subarray(1 + hLen);
  const seed = xor(maskedSeed, mgf1(maskedDb, hLen, mgfHash));
  const db = xor(maskedDb, mgf1(seed, k - hLen - 1, mgfHash));

  let bad = y; // non-zero means invalid
  for (let i = 0; i < hLen; i += 1) bad |= db[i]! ^ lHash[i]!;

  // DB = lHash' || PS (zero bytes) || 0x01 || M. Find the first non-zero byte after lHash', which
  // must be 0x01, visiting every byte and using masks instead of branches.
  let found = 0; // 1 once the separator position is known
  let separator = 0;
  for (let i = hLen; i < db.length; i += 1) {
    const b = db[i]!;
    const isZero = ((b - 1) >>> 31) & 1; // b in 0..255: b - 1 is negative only for 0
    const isOne = (((b ^ 1) - 1) >>> 31) & 1;
    const first = (found ^ 1) & (isZero ^ 1); // the first non-zero byte
    separator |= -first & i;
    bad |= first & (isOne ^ 1);
    found |= first;
  }
  bad |= found ^ 1;

  seed.fill(0);
  if (bad !== 0) {
    db.fill(0);
    throw new Error('decryption error');
  }
  const message = Buffer.from(db.subarray(separator + 1));
  db.fill(0);
  return message;
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i += 1) out[i] = a[i]! ^ b[i]!;
  return out;
}
