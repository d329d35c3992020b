/**
 * The store contract on a real Redis and on the in-memory store (one shared suite), plus what only
 * the Redis backend can show: failing fast while Redis is down, healing when it returns, and
 * keeping the password out of every error and log line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { hasRedisServer, redisUrl, startRedisServer, stopRedisServer, uniquePrefix, type RedisServer } from '../support/redis.js';
import { closeAll } from '../support/cleanup.js';
import { describeStoreConformance } from '../support/store-conformance.js';
import { steppingClock } from '../support/time.js';

describeStoreConformance('redis', async () => createRedisStore({ url: redisUrl() }));
// The memory store runs on a clock the suite moves forward: its expiry tests need no waiting.
const memoryClock = steppingClock();
describeStoreConformance('memory', async () => createMemoryStore({ now: memoryClock.now }), { elapse: async (ms) => memoryClock.advance(ms) });

const PASSWORD = 'pa55-w0rd/with:odd@chars';
const passwordUrl = (port: number, password = PASSWORD) => `redis://:${encodeURIComponent(password)}@127.0.0.1:${port}`;

/** Waits until the store answers PING again (it reconnects by itself). */
const reconnected = (store: Store) =>
  expect.poll(() => store.ping().then(() => true, () => false), { timeout: 5_000, interval: 20 }).toBe(true);

async function failure(promise: Promise<unknown>): Promise<{ error: any; ms: number }> {
  const started = Date.now();
  try {
    await promise;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error('expected the call to fail');
}

if (!hasRedisServer()) console.warn('[store.test] redis-server not on PATH: skipping the Redis outage tests');

describe.skipIf(!hasRedisServer())('redis store while Redis is down', () => {
  // A password-protected redis-server and a store of its own per test: the tests kill and
  // restart it, so none may depend on what another did to it.
  let server: RedisServer;
  let store: Store;
  let logs: string[];
  const logger = {
    warn: (obj: object, msg: string) => void logs.push(JSON.stringify({ ...obj, msg })),
    info: (obj: object, msg: string) => void logs.push(JSON.stringify({ ...obj, msg })),
  };
  const key = `${uniquePrefix('store-down')}k`;

  beforeEach(async () => {
    logs = [];
    server = await startRedisServer({ args: ['--requirepass', PASSWORD] });
    store = createRedisStore({ url: passwordUrl(server.port), commandTimeoutMs: 500, logger });
    await store.exec([{ op: 'set', key, value: 'before' }]);
  });
  afterEach(() => closeAll(() => store?.close(), () => (server ? stopRedisServer(server) : undefined)));

  const kill = () => stopRedisServer(server, { signal: 'SIGKILL', keepDir: true });
  const restart = async () => {
    server = await startRedisServer({ port: server.port, dir: server.dir, args: ['--requirepass', PASSWORD] });
  };

  it('a call fails with store_unavailable within the command timeout, and the message holds no password', async () => {
    await kill();
    for (const call of [store.get(key), store.exec([{ op: 'set', key, value: 'during' }]), store.ping()]) {
      const { error, ms } = await failure(call);
      expect(error).toMatchObject({ code: 'store_unavailable', message: expect.stringMatching(/^store unavailable: /) });
      expect(ms).toBeLessThan(1_500);
      expect(error.message).not.toContain(PASSWORD);
      expect(error.message).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('a Redis that stops answering on a live connection fails each kind of call within the command timeout', async () => {
    // SIGSTOP keeps the TCP connection open: the client stays "ready" and only the per-command
    // timeout (not the wait for a connection) can end the call.
    await store.ping();
    server.process.kill('SIGSTOP');
    try {
      const calls = [() => store.get(key), () => store.take(key), () => store.exec([{ op: 'set', key, value: 'during' }]), () => store.setIfAbsent(`${key}:n`, 'x', 60_000)];
      for (const call of calls) {
        const { error, ms } = await failure(call());
        expect(error).toMatchObject({ code: 'store_unavailable', message: 'store unavailable: no answer within 500 ms' });
        expect(ms).toBeGreaterThanOrEqual(450);
        expect(ms).toBeLessThan(1_500);
      }
    } finally {
      server.process.kill('SIGCONT');
    }
  });

  it('serves again soon after Redis comes back, without replaying the writes that failed', async () => {
    await kill();
    expect((await failure(store.exec([{ op: 'set', key, value: 'during' }]))).error).toMatchObject({ code: 'store_unavailable' });
    await restart();
    await reconnected(store);
    // The data did not survive (no persistence) and the write refused while down was not replayed.
    expect(await store.get(key)).toBeNull();
    await store.exec([{ op: 'set', key, value: 'after' }]);
    expect(await store.get(key)).toBe('after');
  });

  it('no log line of an outage and its recovery holds the password', async () => {
    await kill();
    await failure(store.get(key));
    await restart();
    await reconnected(store);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(encodeURIComponent(PASSWORD));
    }
  });

  it('a wrong password fails with store_unavailable without echoing it', async () => {
    const wrong = 'wrong-secret-123';
    const bad = createRedisStore({ url: passwordUrl(server.port, wrong), commandTimeoutMs: 500, logger });
    try {
      const { error } = await failure(bad.ping());
      expect(error).toMatchObject({ code: 'store_unavailable' });
      expect(error.message).not.toContain(wrong);
      expect(logs.join('\n')).not.toContain(wrong);
    } finally {
      await bad.close();
    }
  });
});

describe('redis store without a Redis', () => {
  it('a store whose Redis was never reachable fails fast too', async () => {
    const nowhere = createRedisStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 300 });
    try {
      const { error, ms } = await failure(nowhere.get('x'));
      expect(error).toMatchObject({ code: 'store_unavailable' });
      expect(ms).toBeLessThan(1_000);
    } finally {
      await nowhere.close();
    }
  });

  it('an invalid URL is refused at creation with config_invalid, without echoing it', () => {
    // A forgotten '@' turns the password into the port.
    const secret = 'forgot-the-at-sign';
    expect(() => createRedisStore({ url: `redis://127.0.0.1:${secret}` })).toThrow(
      expect.objectContaining({ code: 'config_invalid', message: expect.not.stringContaining(secret) }),
    );
  });
});
