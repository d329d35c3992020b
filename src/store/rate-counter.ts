/**
 * Hit counters over a fixed window, shared by every instance on one store: what the rate limits
 * (src/ratelimit/) count with. rate-limiter-flexible does the counting: on Redis (standalone,
 * Sentinel or Cluster) `RateLimiterRedis` on the store's own ioredis client, one key per counted
 * thing and one atomic script per hit (a single key, so any Cluster slot will do); on the embedded
 * memory store `RateLimiterMemory`, since that store lives in one process anyway.
 *
 * The ioredis client never leaves this room: the Redis backend registers its connection here when it
 * opens, and callers get a `WindowCounter`, whose failures are `store_unavailable` like every store
 * call's.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { KbError } from '../shared/errors.js';
import type { Connection } from './redis-connection.js';
import type { Store } from './types.js';

export interface WindowCounterOptions {
  /** Key prefix of this counter's keys (from keys.ts: under REDIS_KEY_PREFIX). */
  keyPrefix: string;
  /** Hits allowed per window; the next one is over. */
  points: number;
  /** Length of the window in ms, whole seconds (the library counts in seconds), at least 1 s. */
  windowMs: number;
}

export interface WindowState {
  /** Hits counted in the current window (this one included, for `hit`). */
  count: number;
  /** More than `points` hits in this window. */
  over: boolean;
  /** Hits left in this window before one is over (0 once `points` are counted). */
  remaining: number;
  /** Until the window ends and counting starts again; 0 when nothing is counted. */
  msLeft: number;
}

export interface WindowCounter {
  /** Counts one hit on `key`. Throws store_unavailable when the store cannot count. */
  hit(key: string): Promise<WindowState>;
  /** The current window of `key` without counting. Throws store_unavailable likewise. */
  peek(key: string): Promise<WindowState>;
}

// Which connection a Redis store opened. A WeakMap, so nothing here keeps a closed store alive and
// the store contract (types.ts) stays free of any client type.
const connections = new WeakMap<Store, Connection>();

/** Called by the Redis backend for each store it opens. */
export function registerRedisConnection(store: Store, connection: Connection): void {
  connections.set(store, connection);
}

export function createWindowCounter(store: Store, opts: WindowCounterOptions): WindowCounter {
  if (!Number.isInteger(opts.points) || opts.points < 1) throw new Error('points must be a positive integer');
  if (!Number.isInteger(opts.windowMs / 1000) || opts.windowMs < 1000) throw new Error('windowMs must be a whole number of seconds, at least 1 s');
  const points = opts.points;
  const duration = opts.windowMs / 1000;
  const connection = connections.get(store);
  // A Redis store this module did not see open (a test's wrapper) counts per process, like memory.
  const limiter: RateLimiterAbstract = connection
    ? new RateLimiterRedis({
        storeClient: connection.client,
        keyPrefix: opts.keyPrefix,
        points,
        duration,
        // Not connected: fail now instead of waiting; the caller decides what a failure means.
        rejectIfRedisNotReady: true,
        // Once a key is over, this process refuses it from memory until its window ends: a flood
        // from one address costs Redis one call per window and instance, not one per request.
        inMemoryBlockOnConsumed: points + 1,
      })
    : new RateLimiterMemory({ keyPrefix: opts.keyPrefix, points, duration });

  const toStoreError = (err: unknown): KbError =>
    connection ? connection.toStoreError(err) : new KbError('store_unavailable', `store unavailable: ${err instanceof Error ? err.message : String(err)}`);

  const stateOf = (res: RateLimiterRes): WindowState => ({
    count: res.consumedPoints,
    over: res.consumedPoints > points,
    remaining: Math.max(0, points - res.consumedPoints),
    msLeft: Math.max(0, res.msBeforeNext),
  });

  return {
    async hit(key) {
      try {
        return stateOf(await limiter.consume(key, 1));
      } catch (thrown) {
        // The library rejects with the window's state when the hit is over the limit (from memory,
        // for a key already over, without its count).
        if (thrown instanceof RateLimiterRes) return { ...stateOf(thrown), count: Math.max(thrown.consumedPoints, points + 1), over: true, remaining: 0 };
        throw toStoreError(thrown);
      }
    },
    async peek(key) {
      try {
        const res = await limiter.get(key);
        return res ? stateOf(res) : { count: 0, over: false, remaining: points, msLeft: 0 };
      } catch (thrown) {
        throw toStoreError(thrown);
      }
    },
  };
}
