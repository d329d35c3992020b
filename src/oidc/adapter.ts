/**
 * oidc-provider's storage adapter on our Store, so the provider runs on Redis (standalone,
 * Sentinel, Cluster) and on the embedded memory store with the same code.
 *
 * Layout (key names in keys.ts; ids, uids, user codes and grant ids appear only as SHA-256 hashes,
 * because an opaque access token's id *is* the token and a session's id is its cookie; the payload,
 * which carries the id as `jti`, is sealed with SECRET_KEYS, so a dump of Redis yields no token):
 *
 *   oidc(model, h)          the payload, JSON sealed with the SecretBox (AES-256-GCM, AAD
 *                           `oidc:<model>:<h>`: a sealed payload moved to another key does not
 *                           open), with the TTL oidc-provider asked for
 *   oidcConsumed(model, h)  the consumed marker (ms epoch; `find` shows seconds), written with SET NX;
 *                           never deleted (not by destroy, not by revokeByGrantId), only expired
 *   oidcGrant(grantHash)    set of `<model>:<h>` issued under one grant, for revokeByGrantId
 *   oidcUid(uidHash)        Session id hash by uid;   oidcUserCode(codeHash)  DeviceCode id hash
 *
 * Records of different ids live in different Cluster slots, so a write that touches several of
 * them is several calls. Index entries are written before the payload: a failure in between leaves
 * a dangling index entry (ignored on read, expires), never a live token its grant cannot revoke.
 */
import { sha256Base64url } from '../shared/hash.js';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from './library.js';
import type { Keys } from '../store/keys.js';
import { parseAccountId } from './account.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store, WriteOp } from '../store/types.js';

export interface AdapterDeps {
  store: Store;
  keys: Keys;
  /** Seals every payload at rest (SECRET_KEYS): the first key seals, every key opens. */
  secretBox: SecretBox;
  /**
   * TTL of records oidc-provider saves without `expiresIn` (e.g. dynamically registered clients)
   * and of grant indexes. Must be at least the longest token lifetime configured.
   */
  maxTtlSeconds: number;
  /**
   * OIDC_REFRESH_GRACE: for this many seconds after a refresh token is used, using it again is
   * not a replay (a client whose response was lost retries, two tabs refresh at once) and yields
   * tokens again instead of revoking the grant. 0 (the default) disables the grace.
   */
  refreshGraceSeconds?: number;
  now?: () => number;
}

/** Models whose records carry a grantId and are revoked with it (what oidc-provider revokes). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

// A consumed marker shorter than a second could vanish before the loser of a race reads it.
const MIN_MARKER_TTL_MS = 1_000;

/** The hash under which an id, uid, user code or grant id appears in key names and indexes. */
export const oidcIdHash = sha256Base64url;
const hashOf = oidcIdHash;

export function createAdapterFactory(deps: AdapterDeps): (name: string) => Adapter {
  const { store, keys } = deps;
  if (!Number.isSafeInteger(deps.maxTtlSeconds) || deps.maxTtlSeconds < 1) {
    throw new TypeError('createAdapterFactory: maxTtlSeconds must be a whole number of seconds >= 1');
  }
  const maxTtlMs = deps.maxTtlSeconds * 1000;
  const graceMs = Math.max(0, deps.refreshGraceSeconds ?? 0) * 1000;
  // Read at each call, not captured: the default must follow the wall clock oidc-provider reads.
  const now = deps.now ?? (() => Date.now());

  return (name: string): Adapter => {
    /** A refresh token used less than graceMs ago (marker holds ms epoch) may be used again. */
    const inGrace = (consumedAtMs: number) => name === 'RefreshToken' && now() - consumedAtMs < graceMs;
    const recordKey = (h: string) => keys.oidc(name, h);
    const consumedKey = (h: string) => keys.oidcConsumed(name, h);

    /**
     * Every key gets a TTL: oidc-provider never deletes expired records itself, so a key without
     * one would stay in Redis forever. `expiresIn` is what oidc-provider computed from the token
     * lifetime; without it (models it does not expire) the configured maximum bounds the key.
     */
    const ttlMsOf = (expiresIn: number | undefined): number =>
      typeof expiresIn === 'number' && Number.isFinite(expiresIn)
        ? // A record saved in its last instant still needs a valid (>= 1 ms) TTL.
          Math.max(1, Math.ceil(expiresIn * 1000))
        : maxTtlMs;

    const aadOf = (h: string) => `oidc:${name}:${h}`;
    const seal = (h: string, payload: AdapterPayload) => deps.secretBox.seal(JSON.stringify(payload), aadOf(h));
    // A plain JSON record was written before payloads were sealed: still read, so tokens issued
    // before an upgrade stay valid until they expire; every write seals.
    const unseal = (h: string, raw: string) => JSON.parse(raw.startsWith('{') ? raw : deps.secretBox.open(raw, aadOf(h))) as AdapterPayload;

    async function findByHash(h: string): Promise<AdapterPayload | undefined> {
      const [raw, consumed] = await Promise.all([store.get(recordKey(h)), store.get(consumedKey(h))]);
      if (raw === null) return undefined;
      const payload = unseal(h, raw);
      // The marker, not the stored JSON, is the truth about consumption (see consume). During
      // the refresh grace it stays hidden, so oidc-provider does not treat the retry as a replay.
      if (consumed !== null && !inGrace(Number(consumed))) payload.consumed = Math.floor(Number(consumed) / 1000);
      return payload;
    }

    /** Looks a record up through a small index key and checks the index is not stale. */
    async function findByIndex(indexKey: string, matches: (p: AdapterPayload) => boolean): Promise<AdapterPayload | undefined> {
      const h = await store.get(indexKey);
      if (h === null) return undefined;
      const payload = await findByHash(h);
      return payload && matches(payload) ? payload : undefined;
    }

    return {
      async upsert(id, payload, expiresIn) {
        const h = hashOf(id);
        const ttlMs = ttlMsOf(expiresIn);
        const writes: Promise<void>[] = [];
        if (GRANTABLE.has(name) && typeof payload.grantId === 'string') {
          const grantKey = keys.oidcGrant(hashOf(payload.grantId));
          // The index must outlive each of its members; maxTtl normally covers every lifetime.
          const grantTtlMs = Math.max(maxTtlMs, ttlMs);
          writes.push(
            store.exec([
              { op: 'sadd', key: grantKey, members: [`${name}:${h}`] },
              { op: 'pexpire', key: grantKey, ttlMs: grantTtlMs },
            ]),
          );
        }
        // Deprovisioning finds an account's sessions and grants through this index (deprovision.ts).
        const account = (name === 'Session' || name === 'Grant') && typeof payload.accountId === 'string' ? parseAccountId(payload.accountId) : null;
        if (account) {
          const accountKey = keys.oidcAccount(account.tenantId, payload.accountId as string);
          const tenantKey = keys.oidcTenantAccounts(account.tenantId);
          writes.push(
            store.exec([
              { op: 'sadd', key: accountKey, members: [`${name}:${id}`] },
              { op: 'pexpire', key: accountKey, ttlMs: maxTtlMs },
              { op: 'sadd', key: tenantKey, members: [payload.accountId as string] },
              { op: 'pexpire', key: tenantKey, ttlMs: maxTtlMs },
            ]),
          );
        }
        if (name === 'Session' && typeof payload.uid === 'string') {
          writes.push(store.exec([{ op: 'set', key: keys.oidcUid(hashOf(payload.uid)), value: h, ttlMs }]));
        }
        if (name === 'DeviceCode' && typeof payload.userCode === 'string') {
          writes.push(store.exec([{ op: 'set', key: keys.oidcUserCode(hashOf(payload.userCode)), value: h, ttlMs }]));
        }
        await Promise.all(writes);
        await store.exec([{ op: 'set', key: recordKey(h), value: seal(h, payload), ttlMs }]);
      },

      find: (id) => findByHash(hashOf(id)),

      findByUid: (uid) => findByIndex(keys.oidcUid(hashOf(uid)), (p) => p.uid === uid),

      findByUserCode: (userCode) => findByIndex(keys.oidcUserCode(hashOf(userCode)), (p) => p.userCode === userCode),

      /**
       * oidc-provider checks `consumed` and then calls consume, so two parallel redemptions of one
       * code can both pass its check. SET NX on the marker lets exactly one of them through; the
       * other gets invalid_grant, as a sequential replay would.
       */
      async consume(id) {
        const h = hashOf(id);
        const left = await store.pttl(recordKey(h));
        // Keep the marker as long as the record (-1 cannot happen: every record has a TTL). A record
        // already gone (revoked by a replay while this caller held it) still gets a marker that
        // outlives any copy a slow caller may hold: the longest lifetime.
        const ttlMs = left < 0 ? maxTtlMs : Math.max(MIN_MARKER_TTL_MS, left);
        const first = await store.setIfAbsent(consumedKey(h), String(now()), ttlMs);
        if (first) return;
        const consumedAt = await store.get(consumedKey(h));
        if (consumedAt !== null && inGrace(Number(consumedAt))) return;
        throw new errors.InvalidGrant('grant already consumed');
      },

      async destroy(id) {
        const h = hashOf(id);
        const payload = await findByHash(h);
        // The consumed marker stays until it expires: a caller still holding the record (found
        // before this delete) must lose its consume, or a destroyed code could be redeemed again.
        await store.exec([{ op: 'del', key: recordKey(h) }]);
        if (!payload) return;
        const cleanups: Promise<unknown>[] = [];
        // Only while the index still points at this record: a newer record may have taken it over.
        const account = (name === 'Session' || name === 'Grant') && typeof payload.accountId === 'string' ? parseAccountId(payload.accountId) : null;
        if (account) {
          cleanups.push(store.exec([{ op: 'srem', key: keys.oidcAccount(account.tenantId, payload.accountId as string), members: [`${name}:${id}`] }]));
        }
        if (name === 'Session' && typeof payload.uid === 'string') {
          cleanups.push(store.delIfEquals(keys.oidcUid(hashOf(payload.uid)), h));
        }
        if (name === 'DeviceCode' && typeof payload.userCode === 'string') {
          cleanups.push(store.delIfEquals(keys.oidcUserCode(hashOf(payload.userCode)), h));
        }
        if (GRANTABLE.has(name) && typeof payload.grantId === 'string') {
          cleanups.push(store.exec([{ op: 'srem', key: keys.oidcGrant(hashOf(payload.grantId)), members: [`${name}:${h}`] }]));
        }
        await Promise.all(cleanups);
      },

      async revokeByGrantId(grantId) {
        const grantKey = keys.oidcGrant(hashOf(grantId));
        const members = await store.smembers(grantKey);
        if (members.length === 0) return;
        // One exec per record: records of one grant live in different Cluster slots.
        await Promise.all(
          members.map((member) => {
            const colon = member.indexOf(':');
            const model = member.slice(0, colon);
            const h = member.slice(colon + 1);
            // Not the consumed marker: a redeemer that found the code before this revocation must
            // still lose its SET NX, so one code yields one token answer whatever the instances.
            const ops: WriteOp[] = [{ op: 'del', key: keys.oidc(model, h) }];
            return store.exec(ops);
          }),
        );
        // SREM what we deleted rather than DEL the set: a token issued meanwhile stays revocable.
        await store.exec([{ op: 'srem', key: grantKey, members }]);
      },
    };
  };
}
