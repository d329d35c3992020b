/**
 * The embedded in-memory store, used when no REDIS_URL is set (trials, single-instance demos, tests).
 *
 * It follows the Redis backend call for call — same refusals, same ordering, same TTL values — as
 * proven by the shared conformance suite. JavaScript is single-threaded and nothing here awaits
 * between validation and the last write, so every call is atomic without locks.
 */
import { KbError } from '../shared/errors.js';
import { Keyspace } from './memory-keyspace.js';
import { applyOp } from './memory-apply.js';
import {
  assertGuard,
  assertLimit,
  assertMax,
  assertScore,
  assertTtl,
  assertVersionedWrite,
  assertWellFormed,
  checkTypes,
  stepsOfOps,
  stepsOfVersioned,
} from './ops.js';
import { assertMinId, assertStreamFields, boundsOf } from './stream-ops.js';
import type { ScoreGuard, Store, VersionedWrite, WriteOp } from './types.js';
import { compareUtf8 } from './utf8-order.js';

export interface MemoryStoreOptions {
  now?: () => number;
  /** How often expired keys are swept so memory does not grow; lazy expiry covers reads in between. */
  sweepIntervalMs?: number;
}

export interface MemoryStore extends Store {
  readonly kind: 'memory';
  /** Keys held, including expired ones not swept yet (for tests and metrics). */
  keyCount(): number;
}

// A minute keeps the sweep cheap while bounding how long expired nonces and locks linger.
const DEFAULT_SWEEP_MS = 60_000;

export function createMemoryStore(opts: MemoryStoreOptions = {}): MemoryStore {
  const now = opts.now ?? Date.now;
  const space = new Keyspace(now);
  let closed = false;
  const timer = setInterval(() => space.sweep(), opts.sweepIntervalMs ?? DEFAULT_SWEEP_MS);
  // The sweep must never keep a process alive on its own.
  timer.unref();

  const open = () => {
    if (closed) throw new KbError('store_unavailable', 'store unavailable: the store is closed');
  };

  const apply = (op: WriteOp) => applyOp(space, op);

  const channels = new Map<string, Set<(message: string) => void>>();

  const store: MemoryStore = {
    kind: 'memory',

    async publish(channel, message) {
      open();
      for (const listener of channels.get(channel) ?? []) listener(message);
    },

    subscribe(channel, onMessage) {
      const listeners = channels.get(channel) ?? new Set();
      channels.set(channel, listeners);
      listeners.add(onMessage);
      let ended = false;
      // One process, one keyspace: nothing can be missed, so no reset is ever needed.
      return {
        get live() {
          return !closed && !ended;
        },
        async close() {
          ended = true;
          listeners.delete(onMessage);
        },
      };
    },

    async get(key) {
      open();
      return space.read(key, 'string') ?? null;
    },

    async take(key) {
      open();
      // One synchronous step: no other call runs between the read and the delete.
      const value = space.read(key, 'string') ?? null;
      if (value !== null) space.delete(key);
      return value;
    },

    async setIfAbsent(key, value, ttlMs) {
      open();
      assertTtl(ttlMs, 'setIfAbsent');
      if (space.typeOf(key) !== 'none') return false;
      space.setString(key, value, ttlMs);
      return true;
    },

    async replaceIfExists(key, value, ttlMs) {
      open();
      assertTtl(ttlMs, 'replaceIfExists');
      if (space.typeOf(key) === 'none') return false;
      // Like SET XX, it replaces a key of any type.
      space.delete(key);
      space.setString(key, value, ttlMs);
      return true;
    },

    async delIfEquals(key, value) {
      open();
      // A key of another type does not "hold" the value: false, like the Redis script.
      if (space.typeOf(key) !== 'string' || space.read(key, 'string') !== value) return false;
      return space.delete(key);
    },

    async compareAndSet(key, expected, value) {
      open();
      const type = space.typeOf(key);
      // A key of another type never matches, like the Redis script.
      const matches = expected === null ? type === 'none' : type === 'string' && space.read(key, 'string') === expected;
      if (!matches) return false;
      space.setString(key, value);
      return true;
    },

    async hget(key, field) {
      open();
      return space.read(key, 'hash')?.get(field) ?? null;
    },

    async hmget(key, fields) {
      open();
      const hash = space.read(key, 'hash');
      return fields.map((f) => hash?.get(f) ?? null);
    },

    async hgetall(key) {
      open();
      // fromEntries defines own properties, so a field named "__proto__" stays a plain field.
      return Object.fromEntries(space.read(key, 'hash') ?? []);
    },

    async hlen(key) {
      open();
      return space.read(key, 'hash')?.size ?? 0;
    },

    async smembers(key) {
      open();
      return [...(space.read(key, 'set') ?? [])];
    },

    async scard(key) {
      open();
      return space.read(key, 'set')?.size ?? 0;
    },

    async zrangeByLex(key, { after, limit }) {
      open();
      assertLimit(limit);
      return space.read(key, 'zset')?.range(after, limit) ?? [];
    },

    async zcard(key) {
      open();
      return space.read(key, 'zset')?.size ?? 0;
    },

    async zrangeByScore(key, { max, limit }) {
      open();
      assertMax(max, 'zrangeByScore');
      assertLimit(limit, 'zrangeByScore');
      return space.read(key, 'zset')?.rangeByScore(max, limit) ?? [];
    },

    async claimByScore(key, { max, score, limit }) {
      open();
      assertMax(max, 'claimByScore');
      assertScore(score, 'claimByScore');
      assertLimit(limit, 'claimByScore');
      // Nothing awaits between reading and moving: no other call can take the same members.
      const zset = space.read(key, 'zset');
      const due = zset?.rangeByScore(max, limit) ?? [];
      for (const member of due) zset!.add(member, score);
      return due;
    },

    async pttl(key) {
      open();
      return space.pttl(key);
    },

    async exec(ops) {
      open();
      assertWellFormed(ops);
      checkTypes(stepsOfOps(ops), (key) => space.typeOf(key));
      for (const op of ops) apply(op);
    },

    async execIfScore(guard: ScoreGuard, ops: WriteOp[]) {
      open();
      assertGuard(guard);
      assertWellFormed(ops);
      // Same order as the Redis script: the guard (a read, WRONGTYPE on another type), then the ops' types.
      const current = space.read(guard.key, 'zset')?.score(guard.member);
      if (guard.score === null ? current !== undefined : current !== guard.score) return false;
      checkTypes(stepsOfOps(ops), (key) => space.typeOf(key));
      for (const op of ops) apply(op);
      return true;
    },

    async applyVersioned(write: VersionedWrite, extra: WriteOp[] = []) {
      open();
      assertVersionedWrite(write);
      assertWellFormed(extra, 'extra op');
      // Nothing can apply, so nothing is checked: the Redis backend does not even call its script.
      if (write.entries.length === 0) return [];
      checkTypes(stepsOfVersioned(write, extra), (key) => space.typeOf(key));
      const applied = write.entries.map((entry) => {
        const stored = space.read(write.versionKey, 'hash')?.get(entry.field);
        if (stored !== undefined && compareUtf8(stored, entry.version) > 0) return false;
        if (entry.value === null) {
          apply({ op: 'hdel', key: write.dataKey, fields: [entry.field] });
          apply({ op: 'zrem', key: write.indexKey, members: [entry.field] });
        } else {
          apply({ op: 'hset', key: write.dataKey, values: { [entry.field]: entry.value } });
          apply({ op: 'zadd', key: write.indexKey, members: [entry.field] });
        }
        apply({ op: 'hset', key: write.versionKey, values: { [entry.field]: entry.version } });
        return true;
      });
      if (applied.includes(true)) for (const op of extra) apply(op);
      return applied;
    },

    async xadd(key, fields, { minIdMs } = {}) {
      open();
      assertStreamFields(fields);
      assertMinId(minIdMs);
      return space.collection(key, 'stream').add(now(), fields, minIdMs);
    },

    async xrevrange(key, range) {
      open();
      const bounds = boundsOf(range);
      return space.read(key, 'stream')?.revRange(bounds, range.count) ?? [];
    },

    async ping() {
      open();
    },

    async close() {
      closed = true;
      clearInterval(timer);
    },

    keyCount: () => space.size,
  };
  return store;
}
