/**
 * The one conformance suite every Store backend must pass (Redis standalone, Cluster and Sentinel, memory),
 * so that code tested on one backend behaves the same on the others.
 *
 * Every test gets keys under its own prefix and hash tag (`k('name')`), so tests never see each
 * other's data and every key of a test lives in one Cluster slot.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/types.js';
import { sleep, type ConformanceContext } from './store-conformance-context.js';
import { compareAndSetSuite } from './store-conformance-cas.js';
import { execSuite } from './store-conformance-exec.js';
import { pubsubSuite } from './store-conformance-pubsub.js';
import { readsSuite } from './store-conformance-reads.js';
import { scoresSuite } from './store-conformance-scores.js';
import { streamsSuite } from './store-conformance-streams.js';
import { versionedSuite } from './store-conformance-versioned.js';
import { uniquePrefix } from './redis.js';

export interface ConformanceOptions {
  /** How time passes for the store's TTLs (default: a real wait, for Redis). */
  elapse?: (ms: number) => Promise<void>;
}

export function describeStoreConformance(name: string, makeStore: () => Promise<Store>, opts: ConformanceOptions = {}): void {
  describe(`store conformance: ${name}`, () => {
    let store: Store | undefined;
    let tag = '';
    const prefix = uniquePrefix(`conformance-${name}`);
    const ctx: ConformanceContext = {
      store: () => {
        if (!store) throw new Error('store not created');
        return store;
      },
      k: (key) => `${prefix}{${tag}}:${key}`,
      makeStore,
      elapse: opts.elapse ?? sleep,
    };

    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(async () => {
      await store?.close();
    });
    beforeEach(() => {
      tag = randomBytes(4).toString('hex');
    });

    it('ping answers while the store is up', async () => {
      await expect(ctx.store().ping()).resolves.toBeUndefined();
    });

    it('a closed store refuses every call with store_unavailable, and close is idempotent', async () => {
      const other = await makeStore();
      await other.exec([{ op: 'set', key: ctx.k('x'), value: '1' }]);
      await other.close();
      await other.close();
      await expect(other.get(ctx.k('x'))).rejects.toMatchObject({ code: 'store_unavailable' });
      await expect(other.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
    });

    readsSuite(ctx);
    execSuite(ctx);
    versionedSuite(ctx);
    compareAndSetSuite(ctx);
    scoresSuite(ctx);
    pubsubSuite(ctx);
    streamsSuite(ctx);
  });
}
export type { ConformanceContext } from './store-conformance-context.js';
