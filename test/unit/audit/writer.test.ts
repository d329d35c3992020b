/**
 * The audit writer never makes a request wait or fail: pushes only queue; batches are written in
 * the background; while the store refuses writes the queue is bounded (newest dropped, counted,
 * one warning per outage) and retried; close writes what is left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createWriter, type Writer } from '../../../src/audit/writer.js';
import { createLogger } from '../../../src/shared/logger.js';
import { createMemoryStore, type MemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/types.js';
import { KbError } from '../../../src/shared/errors.js';

const KEYS = { audit: 'kb:audit', sync: 'kb:sync-log' };
const RETENTION = { audit: 30 * 86_400_000, sync: 7 * 86_400_000 };
const entry = (n: number) => ({ stream: 'audit' as const, fields: { at: String(n), kind: 'login', outcome: 'success', requestId: `r-${n}` } });

/** The memory store, with writes refused while `down` is set (an outage the test controls). */
function flakyStore(inner: MemoryStore): Store & { down: boolean; calls: number } {
  const flaky = Object.create(inner) as Store & { down: boolean; calls: number };
  flaky.down = false;
  flaky.calls = 0;
  flaky.xadd = async (key, fields, opts) => {
    flaky.calls += 1;
    if (flaky.down) throw new KbError('store_unavailable', 'store unavailable: test outage');
    return inner.xadd(key, fields, opts);
  };
  return flaky;
}

describe('audit writer', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (l: string) => void lines.push(l) } });
  let writer: Writer | undefined;
  let inner: MemoryStore | undefined;
  afterEach(async () => {
    await writer?.close();
    await inner?.close();
    lines.length = 0;
  });

  const requestIds = async (store: Store) => (await store.xrevrange(KEYS.audit, { count: 10_000 })).map((e) => e.fields.requestId).reverse();

  it('writes what is pushed, in order, without the caller awaiting anything', async () => {
    inner = createMemoryStore();
    writer = createWriter({ store: inner, logger, now: Date.now, keyOf: KEYS, retentionMs: RETENTION, batchSize: 4 });
    for (let i = 0; i < 10; i++) expect(writer.push(entry(i))).toBeUndefined();
    await writer.flush();
    expect(await requestIds(inner)).toEqual(Array.from({ length: 10 }, (_, i) => `r-${i}`));
    expect(writer.stats()).toEqual({ queued: 0, written: 10, dropped: 0, failedWrites: 0 });
  });

  it('while the store is down: the queue is bounded, drops are counted and warned once; it all resumes when the store returns', async () => {
    inner = createMemoryStore();
    const store = flakyStore(inner);
    writer = createWriter({ store, logger, now: Date.now, keyOf: KEYS, retentionMs: RETENTION, maxQueue: 5, batchSize: 2, retryMs: 10 });
    store.down = true;
    for (let i = 0; i < 8; i++) writer.push(entry(i));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 5, written: 0, dropped: 3 });
    expect(lines.filter((l) => l.includes('queue full'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('the store refused a write'))).toHaveLength(1);
    store.down = false;
    await expect.poll(() => writer!.stats().queued, { timeout: 2_000, interval: 10 }).toBe(0);
    expect(await requestIds(inner)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4']);
    expect(lines.some((l) => l.includes('accepts writes again'))).toBe(true);
  });

  it('an entry the store refuses as such (not an outage) is dropped and reported, never retried forever', async () => {
    inner = createMemoryStore();
    await inner.exec([{ op: 'set', key: KEYS.sync, value: 'not a stream' }]);
    writer = createWriter({ store: inner, logger, now: Date.now, keyOf: KEYS, retentionMs: RETENTION, retryMs: 5 });
    writer.push({ stream: 'sync', fields: { at: '1', interface: 'tenantSync' } });
    writer.push(entry(1));
    await writer.flush();
    expect(writer.stats()).toMatchObject({ queued: 0, written: 1, dropped: 1 });
    expect(lines.some((l) => l.includes('the store refused entries') && l.includes('WRONGTYPE'))).toBe(true);
    expect(await requestIds(inner)).toEqual(['r-1']);
  });

  it('close writes what is still queued before the store closes', async () => {
    inner = createMemoryStore();
    writer = createWriter({ store: inner, logger, now: Date.now, keyOf: KEYS, retentionMs: RETENTION });
    for (let i = 0; i < 120; i++) writer.push(entry(i));
    await writer.close();
    expect((await inner.xrevrange(KEYS.audit, { count: 1000 })).length).toBe(120);
  });

  it('close gives up after its deadline when the store never answers, and says how many were lost', async () => {
    inner = createMemoryStore();
    const store = flakyStore(inner);
    store.down = true;
    writer = createWriter({ store, logger, now: Date.now, keyOf: KEYS, retentionMs: RETENTION, retryMs: 5, closeTimeoutMs: 50 });
    for (let i = 0; i < 3; i++) writer.push(entry(i));
    await writer.close();
    expect(lines.some((l) => l.includes('entries not written at shutdown') && l.includes('"lost":3'))).toBe(true);
  });
});
