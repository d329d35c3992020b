/**
 * The one way the bridge turns a secret (session id, nonce, code, ticket, token id) into a store
 * key: SHA-256, base64url. A Redis dump then holds no usable secret, and every room hashes alike.
 */
import { createHash, hash, timingSafeEqual } from 'node:crypto';

// crypto.hash (Node ≥ 20.12; "release candidate" on 20 and 22, the same digest as createHash) is the
// one-shot form: no Hash object per call, a third of the cost of createHash().update().digest() —
// and every session lookup and ticket validation makes one.
export const sha256Base64url = (value: string): string => hash('sha256', value, 'base64url');

/** Constant-time equality of two secrets of any length (both are hashed to 32 bytes first). */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a, 'utf8').digest();
  const y = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(x, y);
}
