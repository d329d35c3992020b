/**
 * Redis helpers for tests: the shared server's URL, per-test key prefixes, and private servers
 * for tests that must stop and restart Redis.
 */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export { startRedisServer, stopRedisServer, hasRedisServer, hasRedisCli, freePort, type RedisServer } from './redis-server.js';

/** URL of the redis-server started by global-setup (or TEST_REDIS_URL). */
export const redisUrl = (): string => inject('redisUrl');

/**
 * A key prefix nobody else uses: files run in parallel against one Redis, and a rerun must not
 * see a previous run's keys.
 */
export const uniquePrefix = (name: string): string => `test:${name}:${randomBytes(6).toString('hex')}:`;
