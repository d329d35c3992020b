/**
 * The Redis store sends the commands of one event-loop turn in one socket write
 * (src/store/redis-turn-writes.ts), on a real Redis: fewer system calls, the same answers, in
 * order, and a command sent from any phase of the loop still leaves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../src/store/redis-connection.js';
import { createRedisStore } from '../../src/store/redis.js';
import { turnWrites } from '../../src/store/redis-turn-writes.js';
import { redisOptionsFromUrl } from '../../src/store/redis-url.js';
import type { Store } from '../../src/store/types.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

const IO = '/proc/thread-self/io';
/** write(2)-family calls this thread has made (Linux). */
const writeCalls = (): number => Number(/^syscw: (\d+)$/m.exec(readFileSync(IO, 'utf8'))![1]);
const TTL = 60_000;

describe('redis store: one write per event-loop turn', () => {
  let store: Store;
  let prefix: string;
  beforeEach(async () => {
    store = createRedisStore({ url: redisUrl() });
    prefix = uniquePrefix('turn-writes');
    await store.ping();
  });
  afterEach(() => store.close());

  it.skipIf(!existsSync(IO))('200 commands issued in one turn leave in a handful of writes and each gets its own answer', async () => {
    const keys = Array.from({ length: 200 }, (_, i) => `${prefix}k${i}`);
    await Promise.all(keys.map((key, i) => store.setIfAbsent(key, `v${i}`, TTL)));
    const before = writeCalls();
    const taken = await Promise.all(keys.map((key) => store.take(key)));
    const writes = writeCalls() - before;
    expect(taken).toEqual(keys.map((_, i) => `v${i}`));
    // One command per write would be 200.
    expect(writes).toBeLessThan(10);
    expect(await Promise.all(keys.map((key) => store.get(key)))).toEqual(keys.map(() => null));
  });

  it('commands of one turn reach Redis in the order they were sent', async () => {
    const key = `${prefix}order`;
    const results = await Promise.all([store.get(key), store.setIfAbsent(key, 'first', TTL), store.setIfAbsent(key, 'second', TTL), store.take(key), store.get(key)]);
    expect(results).toEqual([null, true, false, 'first', null]);
  });

  it('a command sent from a timer, an immediate or a microtask is answered', async () => {
    const key = `${prefix}phases`;
    await store.setIfAbsent(key, 'v', TTL);
    const fromTimer = await new Promise((resolve, reject) => setTimeout(() => store.get(key).then(resolve, reject), 0));
    const fromImmediate = await new Promise((resolve, reject) => setImmediate(() => store.get(key).then(resolve, reject)));
    const fromMicrotask = await new Promise((resolve, reject) => queueMicrotask(() => store.get(key).then(resolve, reject)));
    // An immediate queued by an immediate runs in the next turn: the flush queued with it too.
    const nested = await new Promise((resolve, reject) => setImmediate(() => setImmediate(() => store.take(key).then(resolve, reject))));
    expect([fromTimer, fromImmediate, fromMicrotask, nested]).toEqual(['v', 'v', 'v', 'v']);
  });

  it('sequential calls, each awaited, are each answered (nothing waits for a later command to flush it)', async () => {
    const key = `${prefix}seq`;
    for (let i = 0; i < 20; i++) {
      expect(await store.setIfAbsent(`${key}${i}`, String(i), TTL)).toBe(true);
      expect(await store.take(`${key}${i}`)).toBe(String(i));
    }
  });

  it('commands held on a socket that drops fail as on any dropped connection, and the next socket serves', async () => {
    // The store's own connection settings (no offline queue, no resend), driven by hand so the
    // socket can be destroyed while commands sit corked on it.
    const conn = openConnection(redisOptionsFromUrl(redisUrl()), { connectTimeoutMs: 2_000, commandTimeoutMs: 2_000 });
    try {
      await conn.ready(2_000);
      const client = conn.client as import('ioredis').Redis;
      const hold = turnWrites(client);
      hold();
      const held = [client.get(`${prefix}a`), client.get(`${prefix}b`)].map((p) => p.then(() => 'answered', (err: Error) => `failed: ${conn.toStoreError(err).code}`));
      client.stream.destroy();
      expect(await Promise.all(held)).toEqual(['failed: store_unavailable', 'failed: store_unavailable']);
      await conn.ready(2_000);
      hold();
      expect(await client.set(`${prefix}c`, 'v', 'PX', TTL)).toBe('OK');
      hold();
      expect(await client.getdel(`${prefix}c`)).toBe('v');
    } finally {
      await conn.close();
    }
  });
});
