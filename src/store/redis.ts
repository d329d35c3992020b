/**
 * The Redis backend of the store contract (standalone, Sentinel or Cluster, chosen by the URL).
 *
 * Reads map to one command each; writes run as the Lua scripts of redis-scripts.ts so that a batch
 * is all-or-nothing. Every call is bounded by `commandTimeoutMs` end to end (waiting for the
 * connection included), so a request never hangs on a dead Redis: it gets store_unavailable.
 */
import type { Cluster, Redis } from 'ioredis';
import { openConnection, Unavailable, type StoreLogger } from './redis-connection.js';
import { encodeExec, encodeExecIfScore, encodeVersioned } from './redis-encode.js';
import { APPLY_VERSIONED_LUA, CLAIM_BY_SCORE_LUA, COMPARE_AND_SET_LUA, DEL_IF_EQUALS_LUA, EXEC_IF_SCORE_LUA, EXEC_LUA } from './redis-scripts.js';
import { turnWrites } from './redis-turn-writes.js';
import { redisOptionsFromUrl } from './redis-url.js';
import { assertGuard, assertLimit, assertMax, assertScore, assertTtl, assertVersionedWrite, assertWellFormed } from './ops.js';
import { registerRedisConnection } from './rate-counter.js';
import { assertMinId, assertStreamFields, boundsOf, redisRangeArgs } from './stream-ops.js';
import type { StreamEntry, Store, VersionedWrite, WriteOp } from './types.js';

export interface RedisStoreOptions {
  url: string;
  /** TCP connect + handshake limit per attempt. */
  connectTimeoutMs?: number;
  /** Longest a call may take, waiting for a connection included. */
  commandTimeoutMs?: number;
  logger?: StoreLogger;
}

// A webhook or login must answer quickly even when Redis is gone: two seconds is far above a
// healthy Redis round trip and well below the timeouts of KooGallery and browsers.
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

type ScriptFn = (numKeys: number, keys: string[], argv: string[]) => Promise<unknown>;
interface Scripts {
  kbExec: ScriptFn;
  kbApplyVersioned: ScriptFn;
  kbDelIfEquals: ScriptFn;
  kbCompareAndSet: ScriptFn;
  kbExecIfScore: ScriptFn;
  kbClaimByScore: ScriptFn;
}

/** A range bound as Redis reads it: ±Infinity spelled as Redis spells it. */
const bound = (n: number) => (n === Infinity ? '+inf' : n === -Infinity ? '-inf' : String(n));

function defineScripts(client: Redis | Cluster): Scripts {
  // No fixed numberOfKeys: the key count is passed per call. ioredis sends EVALSHA and falls back
  // to EVAL when the server has not seen the script (after a restart or failover).
  client.defineCommand('kbExec', { lua: EXEC_LUA });
  client.defineCommand('kbApplyVersioned', { lua: APPLY_VERSIONED_LUA });
  client.defineCommand('kbDelIfEquals', { lua: DEL_IF_EQUALS_LUA });
  client.defineCommand('kbCompareAndSet', { lua: COMPARE_AND_SET_LUA });
  client.defineCommand('kbExecIfScore', { lua: EXEC_IF_SCORE_LUA });
  client.defineCommand('kbClaimByScore', { lua: CLAIM_BY_SCORE_LUA });
  return client as unknown as Scripts;
}

export function createRedisStore(opts: RedisStoreOptions): Store {
  const commandTimeoutMs = opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const target = redisOptionsFromUrl(opts.url);
  const conn = openConnection(target, {
    connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    commandTimeoutMs,
    logger: opts.logger,
  });
  const { client } = conn;
  const scripts = defineScripts(client);
  const subscribers = new Set<Redis | Cluster>();

  // A connected standalone or Sentinel client bounds each command itself: commandTimeout is set on
  // every connection and its "Command timed out" is translated like our own deadline. The common
  // case then needs no timer and no race of ours — that pair cost a sixth of a CAS ticket
  // validation (bench:cas). A Cluster can hold a command back before any node starts its timer
  // (slot refresh, cluster-down retries), and a client not yet connected waits: both keep the
  // deadline. So do scripts: ioredis resends one after NOSCRIPT as a new command with a timer of its own.
  const boundsItsCommands = target.kind !== 'cluster';
  // The same client's commands of one event-loop turn leave in one write (redis-turn-writes.ts).
  const holdWrites = boundsItsCommands ? turnWrites(client as Redis) : () => undefined;
  const translate = (err: unknown): never => {
    throw conn.toStoreError(err);
  };

  /** Runs one call within the deadline and translates its failure. */
  function run<T>(call: () => Promise<T>): Promise<T> {
    if (!boundsItsCommands || client.status !== 'ready') return runWithDeadline(call);
    holdWrites();
    try {
      return call().catch(translate);
    } catch (err) {
      return Promise.reject(conn.toStoreError(err));
    }
  }

  async function runWithDeadline<T>(call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await conn.ready(commandTimeoutMs);
      const left = Math.max(1, commandTimeoutMs - (Date.now() - started));
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Unavailable(`no answer within ${commandTimeoutMs} ms`)), left);
      });
      const answer = call();
      // Past the deadline nobody awaits the call any more: its late failure (the connection dropped
      // meanwhile) must not surface as an unhandled rejection, which ends a Node process.
      answer.catch(() => undefined);
      return await Promise.race([answer, deadline]);
    } catch (err) {
      throw conn.toStoreError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  const store: Store = {
    kind: 'redis',

    get: (key) => run(() => client.get(key)),
    // GETDEL (Redis 6.2+): one command, one key, so atomic on a Cluster too.
    take: (key) => run(() => client.getdel(key)),

    async setIfAbsent(key, value, ttlMs) {
      assertTtl(ttlMs, 'setIfAbsent');
      return (await run(() => client.set(key, value, 'PX', ttlMs, 'NX'))) === 'OK';
    },

    async replaceIfExists(key, value, ttlMs) {
      assertTtl(ttlMs, 'replaceIfExists');
      return (await run(() => client.set(key, value, 'PX', ttlMs, 'XX'))) === 'OK';
    },

    async delIfEquals(key, value) {
      return (await runWithDeadline(() => scripts.kbDelIfEquals(1, [key], [value]))) === 1;
    },

    async compareAndSet(key, expected, value) {
      const argv = expected === null ? ['1', '', value] : ['0', expected, value];
      return (await runWithDeadline(() => scripts.kbCompareAndSet(1, [key], argv))) === 1;
    },

    hget: (key, field) => run(() => client.hget(key, field)),

    async hmget(key, fields) {
      // HMGET without fields is a syntax error in Redis; the contract answers [].
      if (fields.length === 0) return [];
      return run(() => client.hmget(key, ...fields));
    },

    hgetall: (key) => run(() => client.hgetall(key)),
    hlen: (key) => run(() => client.hlen(key)),
    smembers: (key) => run(() => client.smembers(key)),
    scard: (key) => run(() => client.scard(key)),

    async zrangeByLex(key, { after, limit }) {
      assertLimit(limit);
      if (limit === 0) return [];
      // '(' makes the bound exclusive whatever characters `after` holds.
      const min = after === undefined ? '-' : `(${after}`;
      return run(() => client.zrangebylex(key, min, '+', 'LIMIT', 0, limit));
    },

    zcard: (key) => run(() => client.zcard(key)),

    async zrangeByScore(key, { max, limit }) {
      assertMax(max, 'zrangeByScore');
      assertLimit(limit, 'zrangeByScore');
      if (limit === 0) return [];
      return run(() => client.zrangebyscore(key, '-inf', bound(max), 'LIMIT', 0, limit));
    },

    async claimByScore(key, { max, score, limit }) {
      assertMax(max, 'claimByScore');
      assertScore(score, 'claimByScore');
      assertLimit(limit, 'claimByScore');
      if (limit === 0) return [];
      return (await runWithDeadline(() => scripts.kbClaimByScore(1, [key], [bound(max), String(score), String(limit)]))) as string[];
    },
    pttl: (key) => run(() => client.pttl(key)),

    async exec(ops: WriteOp[]) {
      assertWellFormed(ops);
      if (ops.length === 0) return;
      const { keys, argv } = encodeExec(ops);
      await runWithDeadline(() => scripts.kbExec(keys.length, keys, argv));
    },

    async execIfScore(guard, ops) {
      assertGuard(guard);
      assertWellFormed(ops);
      const { keys, argv } = encodeExecIfScore(guard, ops);
      return (await runWithDeadline(() => scripts.kbExecIfScore(keys.length, keys, argv))) === 1;
    },

    async applyVersioned(write: VersionedWrite, extra: WriteOp[] = []) {
      assertVersionedWrite(write);
      assertWellFormed(extra, 'extra op');
      if (write.entries.length === 0) return [];
      const { keys, argv } = encodeVersioned(write, extra);
      const result = (await runWithDeadline(() => scripts.kbApplyVersioned(keys.length, keys, argv))) as number[];
      return result.map((r) => r === 1);
    },

    async xadd(key, fields, { minIdMs } = {}) {
      assertStreamFields(fields);
      assertMinId(minIdMs);
      const trim = minIdMs === undefined ? [] : ['MINID', '~', String(minIdMs)];
      const id = await run(() => client.xadd(key, ...trim, '*', ...Object.entries(fields).flat()));
      return id as string;
    },

    async xrevrange(key, range) {
      const bounds = boundsOf(range);
      if (range.count === 0) return [];
      const [end, start] = redisRangeArgs(bounds);
      const rows = await run(() => client.xrevrange(key, end, start, 'COUNT', range.count));
      return rows.map(([id, flat]): StreamEntry => {
        const fields: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) Object.defineProperty(fields, flat[i]!, { value: flat[i + 1]!, enumerable: true, writable: true, configurable: true });
        return { id, fields };
      });
    },

    async publish(channel, message) {
      await run(() => client.publish(channel, message));
    },

    subscribe(channel, onMessage, onReset) {
      // A subscribed connection can run nothing else: it gets its own, with the same settings.
      // It subscribes itself on every 'ready' below; ioredis's own resubscription would send a
      // second SUBSCRIBE whose failure (the connection dropping again) nobody handles.
      const sub = 'nodes' in client ? client.duplicate(undefined, { redisOptions: { ...client.options.redisOptions, autoResubscribe: false } }) : client.duplicate({ autoResubscribe: false });
      subscribers.add(sub);
      let live = false;
      let everReady = false;
      sub.on('error', () => undefined); // reported by the main connection; the subscriber just reconnects
      sub.on('ready', () => {
        sub.subscribe(channel).then(
          () => {
            live = true;
            // Messages published while we were away are lost: tell the subscriber to start over.
            if (everReady) onReset();
            everReady = true;
          },
          () => sub.disconnect(true),
        );
      });
      sub.on('close', () => {
        live = false;
      });
      let ended = false;
      sub.on('message', (ch: string, message: string) => {
        // A cluster subscriber may still deliver while it disconnects.
        if (ch === channel && !ended) onMessage(message);
      });
      return {
        get live() {
          return live;
        },
        async close() {
          live = false;
          ended = true;
          subscribers.delete(sub);
          sub.disconnect();
        },
      };
    },

    async ping() {
      await run(() => client.ping());
    },

    async close() {
      for (const sub of subscribers) sub.disconnect();
      subscribers.clear();
      await conn.close();
    },
  };
  // The rate limits count on this connection too (rate-counter.ts), without the client leaving store/.
  registerRedisConnection(store, conn);
  return store;
}
