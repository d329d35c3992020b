/**
 * The store conformance suite on a real three-master Redis Cluster, reached through one
 * redis+cluster:// URL. Every test of the suite keeps its keys under one hash tag, as the
 * directory does per tenant; different tests land on different nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.js';
import { redisCli } from '../support/redis-server.js';
import { hasRedisCli, hasRedisServer, startRedisServer, stopRedisServer, uniquePrefix, type RedisServer } from '../support/redis.js';
import { describeStoreConformance } from '../support/store-conformance.js';

const canRun = hasRedisServer() && hasRedisCli();
if (!canRun) console.warn('[store-cluster.test] redis-server or redis-cli not on PATH: skipping the Redis Cluster tests');

const nodes: RedisServer[] = [];
const clusterUrl = () => `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;

async function waitForClusterOk(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!nodes.every((n) => redisCli(['-p', String(n.port), 'cluster', 'info']).includes('cluster_state:ok'))) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster did not reach cluster_state:ok within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!canRun)('redis cluster', () => {
  beforeAll(async () => {
    // A short node timeout keeps start-up quick; nothing here tests failover.
    const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'];
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startRedisServer({ args })))));
    redisCli(['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(15_000);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopRedisServer(n)));
  });

  describeStoreConformance('redis cluster', async () => createRedisStore({ url: clusterUrl() }));

  it('a batch whose keys hash to different slots is refused (CROSSSLOT) and applies nothing', async () => {
    const store = createRedisStore({ url: clusterUrl() });
    try {
      const prefix = uniquePrefix('cluster');
      const [a, b] = [`${prefix}{t:a}:x`, `${prefix}{t:b}:x`];
      await expect(
        store.exec([
          { op: 'set', key: a, value: '1' },
          { op: 'set', key: b, value: '2' },
        ]),
      ).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('CROSSSLOT') });
      expect(await store.get(a)).toBeNull();
      expect(await store.get(b)).toBeNull();
    } finally {
      await store.close();
    }
  });
});
