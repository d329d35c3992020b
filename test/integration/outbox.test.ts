/**
 * The outbox on a real Redis, as several processes would use it: each "process" has its own Redis
 * connection. Two workers never run one job at once; a worker that crashes without acknowledging
 * loses nothing; a restart finds every pending job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOutbox, type Outbox } from '../../src/ops/outbox.js';
import type { OutboxSettingsInput } from '../../src/ops/outbox-policy.js';
import type { OutboxTimer } from '../../src/ops/outbox-worker.js';
import type { Clock } from '../../src/shared/clock.js';
import type { JobContext } from '../../src/shared/jobs.js';
import { createLogger } from '../../src/shared/logger.js';
import { createKeys } from '../../src/store/keys.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';

const KIND = 'test.deliver';
const logger = createLogger({ level: 'silent' });
const frozenTimer: OutboxTimer = { setTimeout: () => undefined, clearTimeout: () => undefined };

describe('outbox on Redis', () => {
  const opened: { store: Store; outbox: Outbox }[] = [];
  afterEach(async () => {
    for (const { store, outbox } of opened.splice(0)) {
      await outbox.stop();
      await store.close();
    }
  });

  /** One process: its own connection, sharing `prefix` (the same Redis data) with the others. */
  function processOn(prefix: string, opts: { clock?: Clock; timer?: OutboxTimer; settings?: OutboxSettingsInput } = {}) {
    const store = createRedisStore({ url: redisUrl() });
    const outbox = createOutbox({ store, keys: createKeys(prefix), clock: opts.clock ?? { now: () => Date.now() }, logger, settings: opts.settings, ...(opts.timer ? { timer: opts.timer } : {}) });
    opened.push({ store, outbox });
    return { store, outbox };
  }

  it('two workers polling one Redis run each of 60 jobs exactly once, never one job twice at the same time', async () => {
    const prefix = uniquePrefix('outbox-two');
    const settings = { pollIntervalMs: 20, concurrency: 4 };
    const a = processOn(prefix, { settings });
    const b = processOn(prefix, { settings });
    const running = new Set<string>();
    const runs = new Map<string, string[]>();
    const overlaps: string[] = [];
    const handler = (worker: string) => async (_p: unknown, job: JobContext) => {
      if (running.has(job.id)) overlaps.push(job.id);
      running.add(job.id);
      runs.set(job.id, [...(runs.get(job.id) ?? []), worker]);
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10));
      running.delete(job.id);
    };
    a.outbox.register(KIND, handler('a'));
    b.outbox.register(KIND, handler('b'));
    const ids = await Promise.all(Array.from({ length: 60 }, (_, n) => a.outbox.enqueue(KIND, { n }).then((r) => r.id)));
    a.outbox.start();
    b.outbox.start();
    await expect.poll(() => a.outbox.pending(), { timeout: 10_000, interval: 50 }).toBe(0);
    await Promise.all([a.outbox.drain(), b.outbox.drain()]);

    expect(overlaps).toEqual([]);
    expect([...runs.keys()].sort()).toEqual([...ids].sort());
    expect([...runs.values()].every((workers) => workers.length === 1)).toBe(true);
    // Both took part: the claim shares the work rather than one worker taking everything.
    const byWorker = [...runs.values()].flat();
    expect(byWorker).toContain('a');
    expect(byWorker).toContain('b');
  });

  it('a worker that crashes while running a job (no acknowledgement) loses nothing: once the lease passes, a new worker delivers it', async () => {
    const prefix = uniquePrefix('outbox-crash');
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now };
    const crashing = processOn(prefix, { clock, timer: frozenTimer });
    const started = new Promise<void>((resolve) => crashing.outbox.register(KIND, () => (resolve(), new Promise(() => undefined))));
    await crashing.outbox.enqueue(KIND, { clientId: 'crm', sid: 'sid-1' });
    void crashing.outbox.runDue();
    await started;
    // The process dies: its connection goes, the job stays leased in Redis (and nothing stops it).
    await crashing.store.close();
    opened.splice(opened.indexOf(crashing), 1);

    const next = processOn(prefix, { clock });
    const delivered: unknown[] = [];
    next.outbox.register(KIND, async (payload, job) => void delivered.push({ payload, attempt: job.attempt }));
    expect(await next.outbox.drain()).toBe(0);
    now += 60_000 - 1;
    expect(await next.outbox.drain()).toBe(0);
    now += 1;
    expect(await next.outbox.drain()).toBe(1);
    expect(delivered).toEqual([{ payload: { clientId: 'crm', sid: 'sid-1' }, attempt: 2 }]);
    expect(await next.outbox.pending()).toBe(0);
  });

  it('a restart finds every pending job: waiting, delayed and retrying ones, with their attempts', async () => {
    const prefix = uniquePrefix('outbox-restart');
    let now = Date.UTC(2026, 0, 1);
    const clock = { now: () => now };
    const before = processOn(prefix, { clock, timer: frozenTimer });
    before.outbox.register(KIND, async () => {
      throw new Error('app down');
    });
    await before.outbox.enqueue(KIND, { n: 'retrying' });
    await before.outbox.runDue();
    await before.outbox.enqueue(KIND, { n: 'waiting' });
    await before.outbox.enqueue(KIND, { n: 'delayed' }, { delayMs: 30_000 });
    await before.outbox.stop();
    await before.store.close();

    const after = processOn(prefix, { clock });
    const seen: unknown[] = [];
    after.outbox.register(KIND, async (payload, job) => void seen.push([payload, job.attempt]));
    expect(await after.outbox.pending()).toBe(3);
    now += 30_000;
    expect(await after.outbox.drain()).toBe(3);
    expect(seen).toEqual(expect.arrayContaining([[{ n: 'retrying' }, 2], [{ n: 'waiting' }, 1], [{ n: 'delayed' }, 1]]));
    expect(await after.outbox.pending()).toBe(0);
  });
});
