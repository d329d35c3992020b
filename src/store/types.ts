/**
 * The storage contract every backend (Redis, embedded memory) fulfils.
 *
 * It is a small, Redis-shaped subset rather than a domain API so that one conformance suite can
 * prove both backends behave alike, and so the Redis backend maps each call to one command.
 *
 * Cluster rule: every key passed to one `exec`, `execIfScore` or `applyVersioned` call must hash to
 * the same slot (keys built by `keys.ts` for one tenant share the `{t:<tenantId>}` hash tag, the
 * outbox's keys share `{outbox}`). Nothing here lists
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
  /**
   * ZADD with numeric scores (a schedule: score = a time in ms). Adds members or moves existing ones
   * to the new score. Scores must be finite numbers. Do not mix with `zadd` and `zrangeByLex` on one
   * key: lexicographic ranges are only defined when every score is 0 (as in Redis).
   */
  | { op: 'zaddScore'; key: string; members: ScoredMember[] }
  | { op: 'zrem'; key: string; members: string[] }
  | { op: 'pexpire'; key: string; ttlMs: number };

export interface ScoredMember {
  member: string;
  score: number;
}

/**
 * The condition of `execIfScore`: `member` of the sorted set `key` holds exactly `score`, or, with
 * `score` null, is not a member. A lease held under a score is the typical use: the score is the
 * fencing token, so a worker whose lease was taken over can no longer write.
 */
export interface ScoreGuard {
  key: string;
  member: string;
  score: number | null;
}

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

/** One entry of an append-only stream: an id the store assigned (`<ms>-<seq>`, increasing) and its fields. */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/**
 * A newest-first read of a stream: entries strictly before the id `before` (the cursor of the
 * previous page), whose time is at most `maxMs` and at least `minMs` (all inclusive, in ms), at
 * most `count`.
 */
export interface StreamRange {
  before?: string;
  maxMs?: number;
  minMs?: number;
  count: number;
}

export interface Subscription {
  readonly live: boolean;
  close(): Promise<void>;
}

export interface Store {
  readonly kind: 'redis' | 'memory';

  get(key: string): Promise<string | null>;
  /**
   * GETDEL: reads a string key and deletes it in one atomic step, so of several callers taking the
   * same key at once exactly one receives the value (single-use CAS tickets). Null when absent.
   */
  take(key: string): Promise<string | null>;
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
  /** Number of members of a set (SCARD), 0 when absent: counts without reading the members. */
  scard(key: string): Promise<number>;

  /** Members of a score-0 sorted set in lexicographic order, strictly after `after`, at most `limit`. */
  zrangeByLex(key: string, opts: { after?: string; limit: number }): Promise<string[]>;
  zcard(key: string): Promise<number>;

  /**
   * Members whose score is <= `max` (Infinity: all), lowest score first, ties in member byte order,
   * at most `limit` (ZRANGEBYSCORE -inf max LIMIT 0 limit).
   */
  zrangeByScore(key: string, opts: { max: number; limit: number }): Promise<string[]>;
  /**
   * Atomically takes the members that `zrangeByScore(key, { max, limit })` would list and gives
   * each the score `score` (ZADD XX), returning them. The durable queue's claim: with score = time
   * due and `score` = now + lease, two callers never take the same member, and a member whose lease
   * passes without being acknowledged is due again. One script in Redis; one synchronous step in memory.
   */
  claimByScore(key: string, opts: { max: number; score: number; limit: number }): Promise<string[]>;

  /** Milliseconds to live: -1 without expiry, -2 when the key does not exist (as Redis PTTL). */
  pttl(key: string): Promise<number>;

  /** Applies every op atomically (MULTI/EXEC): all or nothing, no interleaving. */
  exec(ops: WriteOp[]): Promise<void>;
  /**
   * Like `exec`, but only while `guard` holds (checked in the same atomic step); true when applied,
   * false (nothing written) when not. The guard key must be a sorted set or absent, in the ops' slot.
   */
  execIfScore(guard: ScoreGuard, ops: WriteOp[]): Promise<boolean>;

  /**
   * Atomically applies each entry whose version is >= the stored version; returns, per entry,
   * whether it was applied. `extra` ops (same slot) are applied in the same atomic step when at
   * least one entry was applied.
   */
  applyVersioned(write: VersionedWrite, extra?: WriteOp[]): Promise<boolean[]>;

  /**
   * XADD key [MINID ~ minIdMs] * field value …: appends one entry (at least one field) under an id
   * the store assigns — `<ms>-<seq>`, ms from the store's clock, always above the last id — and
   * returns it. With `minIdMs`, entries older than that time are trimmed the cheap way (`~`): Redis
   * drops whole nodes of old entries, so a few older ones may linger until the next add; an entry
   * at or after `minIdMs` is never dropped. A stream key lives in one slot (Cluster-safe).
   */
  xadd(key: string, fields: Record<string, string>, opts?: { minIdMs?: number }): Promise<string>;
  /** XREVRANGE: the entries of `range`, newest first; [] when the key is absent. */
  xrevrange(key: string, range: StreamRange): Promise<StreamEntry[]>;

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
