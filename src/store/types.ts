/**
 * The storage contract every backend (Redis, embedded memory) fulfils.
 *
 * It is a small, Redis-shaped subset rather than a domain API so that one conformance suite can
 * prove both backends behave alike, and so the Redis backend maps each call to one command.
 *
 * Cluster rule: every key passed to one `exec` or `applyVersioned` call must hash to the same slot
 * (keys built by `keys.ts` for one tenant share the `{t:<tenantId>}` hash tag). Nothing here lists
 * keys by pattern: indexes are explicit sets / sorted sets.
 */

export type WriteOp =
  | { op: 'set'; key: string; value: string; ttlMs?: number }
  | { op: 'del'; key: string }
  | { op: 'hset'; key: string; values: Record<string, string> }
  | { op: 'hdel'; key: string; fields: string[] }
  | { op: 'sadd'; key: string; members: string[] }
  | { op: 'srem'; key: string; members: string[] }
  /** Sorted set used as a lexicographic index: every member gets score 0. */
  | { op: 'zadd'; key: string; members: string[] }
  | { op: 'zrem'; key: string; members: string[] }
  | { op: 'pexpire'; key: string; ttlMs: number };

/** One entry of a versioned write: applied only if `version` is not older than the stored one. */
export interface VersionedEntry {
  field: string;
  /** Compared as a string; callers use fixed-width sortable values (yyyyMMddHHmmssSSS). */
  version: string;
  /** The new value, or null to delete the field (the version is kept as a tombstone). */
  value: string | null;
}

export interface VersionedWrite {
  /** Hash holding field → value. */
  dataKey: string;
  /** Sorted set (score 0) holding the fields present in dataKey, for ordered pagination. */
  indexKey: string;
  /** Hash holding field → last applied version (kept after deletes so stale adds stay ignored). */
  versionKey: string;
  entries: VersionedEntry[];
}

export interface Subscription {
  readonly live: boolean;
  close(): Promise<void>;
}

export interface Store {
  readonly kind: 'redis' | 'memory';

  get(key: string): Promise<string | null>;
  /** SET NX PX: true when the key was created. Used for nonces and locks. */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /**
   * SET XX PX: replaces a string key only while it exists; true when replaced. Lets a session be
   * rewritten without resurrecting one that a revocation deleted in the meantime.
   */
  replaceIfExists(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only if it still holds `value` (lock release). True when deleted. */
  delIfEquals(key: string, value: string): Promise<boolean>;
  /**
   * Compare-and-set of a string key: writes `value` (without expiry) only while the key holds
   * `expected`, or, with `expected` null, only while the key is absent. True when written. Lets a
   * record that must never expire (the signing-key ring) be replaced without losing a concurrent
   * writer's change.
   */
  compareAndSet(key: string, expected: string | null, value: string): Promise<boolean>;

  hget(key: string, field: string): Promise<string | null>;
  hmget(key: string, fields: string[]): Promise<(string | null)[]>;
  hgetall(key: string): Promise<Record<string, string>>;
  hlen(key: string): Promise<number>;

  smembers(key: string): Promise<string[]>;

  /** Members of a score-0 sorted set in lexicographic order, strictly after `after`, at most `limit`. */
  zrangeByLex(key: string, opts: { after?: string; limit: number }): Promise<string[]>;
  zcard(key: string): Promise<number>;

  /** Milliseconds to live: -1 without expiry, -2 when the key does not exist (as Redis PTTL). */
  pttl(key: string): Promise<number>;

  /** Applies every op atomically (MULTI/EXEC): all or nothing, no interleaving. */
  exec(ops: WriteOp[]): Promise<void>;

  /**
   * Atomically applies each entry whose version is >= the stored version; returns, per entry,
   * whether it was applied. `extra` ops (same slot) are applied in the same atomic step when at
   * least one entry was applied.
   */
  applyVersioned(write: VersionedWrite, extra?: WriteOp[]): Promise<boolean[]>;

  /** Broadcasts to every instance sharing this store (Redis pub/sub; in-process for memory). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Receives what `publish` sends on `channel`. Pub/sub delivers at most once: `onReset` is called
   * whenever messages may have been missed (the subscriber reconnected), and `live` is false
   * while nothing can be received.
   */
  subscribe(channel: string, onMessage: (message: string) => void, onReset: () => void): Subscription;

  /** Throws `store_unavailable` when the backend cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
