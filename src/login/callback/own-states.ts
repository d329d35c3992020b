/**
 * The OAuth2 `state`s the bridge issues are self-identifying: `kb1.<random>.<mac>`, the MAC keyed
 * by a key derived (HKDF) from SECRET_KEYS. A callback's state can then be told apart without any
 * record: one that verifies is ours — valid only with this browser's pre-login record, which is
 * single-use, so another browser's or an already used one is refused — and one that does not is the
 * aPaaS workbench's own (spec §7 "Login details found later"): an IdP-initiated login.
 * The first key issues; every key verifies (key rotation keeps states in flight valid).
 */
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { sameSecret } from '../../shared/hash.js';

const PREFIX = 'kb1';

export interface OwnStates {
  issue(): string;
  /** Whether `state` was issued by this bridge (any of its keys), whoever holds it now. */
  isOurs(state: string): boolean;
}

export function createOwnStates(secretKeys: readonly string[]): OwnStates {
  if (secretKeys.length === 0) throw new Error('createOwnStates: no secret keys');
  const keys = secretKeys.map((k) => Buffer.from(hkdfSync('sha256', Buffer.from(k, 'base64'), Buffer.alloc(0), 'koobridge login state', 32)));
  const mac = (key: Buffer, random: string) => createHmac('sha256', key).update(`${PREFIX}.${random}`).digest().subarray(0, 16).toString('base64url');
  return {
    issue() {
      const random = randomBytes(24).toString('base64url');
      return `${PREFIX}.${random}.${mac(keys[0]!, random)}`;
    },
    isOurs(state) {
      const m = /^kb1\.([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{22})$/.exec(state);
      if (!m) return false;
      return keys.some((key) => sameSecret(mac(key, m[1]!), m[2]!));
    },
  };
}
