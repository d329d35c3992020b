/**
 * The store conformance suite through Redis Sentinel: one password-protected master watched by one
 * Sentinel, reached with a redis+sentinel:// URL (the password is the master's; the Sentinel has
 * none). Proves the URL wiring end to end; failover itself is Redis's job and is not tested here.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { createRedisStore } from '../../src/store/redis.js';
import { hasRedisServer, startRedisServer, stopRedisServer, type RedisServer } from '../support/redis.js';
import { describeStoreConformance } from '../support/store-conformance.js';

const PASSWORD = 'sentinel-test-master-pw';
if (!hasRedisServer()) console.warn('[store-sentinel.test] redis-server not on PATH: skipping the Sentinel tests');

describe.skipIf(!hasRedisServer())('redis sentinel', () => {
  let master: RedisServer | undefined;
  let sentinel: RedisServer | undefined;

  beforeAll(async () => {
    master = await startRedisServer({ args: ['--requirepass', PASSWORD] });
    sentinel = await startRedisServer({
      config: `sentinel monitor kbmaster 127.0.0.1 ${master.port} 1\nsentinel auth-pass kbmaster ${PASSWORD}\n`,
      args: ['--sentinel'],
    });
  });
  afterAll(async () => {
    if (sentinel) await stopRedisServer(sentinel);
    if (master) await stopRedisServer(master);
  });

  describeStoreConformance('redis sentinel', async () =>
    createRedisStore({ url: `redis+sentinel://:${PASSWORD}@127.0.0.1:${sentinel!.port}/kbmaster` }),
  );
});
