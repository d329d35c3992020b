/**
 * The outbox on the memory store with fake time: enqueue, claim, acknowledge, retry with backoff,
 * dead letters, leases that pass, deduplication, the poll loop and stop. No test sleeps.
 */
import { describe, expect, it } from 'vitest';
import { PermanentJobError, type JobContext } from '../../../src/shared/jobs.js';
import { retryDelayMs, DEFAULT_RETRY } from '../../../src/ops/outbox-policy.js';
import { createKeys } from '../../../src/store/keys.js';
import { deferred, frozenTimer, rig } from './outbox-support.js';

const KIND = 'test.notify';

describe('outbox: enqueue, run, acknowledge', () => {
  it('an enqueued job runs once with its payload, then is gone', async () => {
    const { outbox } = rig();
    const seen: [unknown, JobContext][] = [];
    outbox.register(KIND, async (payload, job) => void seen.push([payload, job]));
    const { id, enqueued } = await outbox.enqueue(KIND, { clientId: 'crm', n: 1, list: [true, null] });
    expect(enqueued).toBe(true);
    expect(await outbox.pending()).toBe(1);
    expect(await outbox.runDue()).toBe(1);
    expect(seen).toEqual([[{ clientId: 'crm', n: 1, list: [true, null] }, expect.objectContaining({ id, kind: KIND, attempt: 1 })]]);
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.runDue()).toBe(0);
  });

  it('a job enqueued with delayMs is not due before its time', async () => {
    const { outbox, time } = rig();
    let runs = 0;
    outbox.register(KIND, async () => void runs++);
    await outbox.enqueue(KIND, {}, { delayMs: 5_000 });
    await time.advance(4_999);
    expect(await outbox.runDue()).toBe(0);
    await time.advance(1);
    expect(await outbox.runDue()).toBe(1);
    expect(runs).toBe(1);
  });

  it('due jobs run in parallel: each of two handlers starts before either finishes', async () => {
    const { outbox } = rig();
    const started = [deferred(), deferred()];
    let n = 0;
    outbox.register(KIND, async () => {
      const mine = n++;
      started[mine]!.resolve();
      await started[1 - mine]!.promise;
    });
    await outbox.enqueue(KIND, { a: 1 });
    await outbox.enqueue(KIND, { b: 2 });
    expect(await outbox.runDue()).toBe(2);
  });

  it('refuses a payload that is not plain JSON or too large, an invalid kind, delay or dedupeKey, writing nothing', async () => {
    const { outbox } = rig();
    const bad: [string, unknown, object?][] = [
      [KIND, { when: new Date() }],
      [KIND, { n: Number.NaN }],
      [KIND, { f: () => 1 }],
      [KIND, { u: undefined }],
      [KIND, { big: 'x'.repeat(17_000) }],
      ['Not A Kind', {}],
      ['', {}],
      [KIND, {}, { delayMs: -1 }],
      [KIND, {}, { delayMs: 1.5 }],
      [KIND, {}, { dedupeKey: '' }],
    ];
    for (const [kind, payload, opts] of bad) {
      await expect(outbox.enqueue(kind, payload as never, opts)).rejects.toMatchObject({ code: 'internal', message: expect.stringMatching(/^outbox: /) });
    }
    expect(await outbox.pending()).toBe(0);
  });

  it('settings that would let a run outlive its lease are refused at creation', () => {
    expect(() => rig({ handlerTimeoutMs: 60_000, leaseMs: 60_000 })).toThrow(/handlerTimeoutMs must be shorter than leaseMs/);
    expect(() => rig({ concurrency: 0 })).toThrow(/concurrency must be a positive whole number/);
  });

  it('a second handler for one kind is refused', () => {
    const { outbox } = rig();
    outbox.register(KIND, async () => undefined);
    expect(() => outbox.register(KIND, async () => undefined)).toThrow(/already registered/);
  });

  it('a job survives its outbox: a new outbox on the same store (a restarted process) runs it', async () => {
    const { outbox, another } = rig();
    await outbox.enqueue(KIND, { x: 1 });
    await outbox.stop();
    const restarted = another();
    const seen: unknown[] = [];
    restarted.register(KIND, async (p) => void seen.push(p));
    expect(await restarted.drain()).toBe(1);
    expect(seen).toEqual([{ x: 1 }]);
  });
});

describe('outbox: retries and dead letters', () => {
  it('the backoff doubles from baseDelayMs up to maxDelayMs, with jitter between half and the whole step', () => {
    const steps = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1, DEFAULT_RETRY, () => 0));
    expect(steps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000]);
    expect(retryDelayMs(1, DEFAULT_RETRY, () => 0.999_999)).toBe(2_000);
    expect(retryDelayMs(40, DEFAULT_RETRY, () => 0.999_999)).toBe(600_000);
  });

  it('a failing job is retried after its backoff, keeps its last error, and is gone once it succeeds', async () => {
    const { outbox, time, logs } = rig();
    const attempts: number[] = [];
    outbox.register(KIND, async (_p, job) => {
      attempts.push(job.attempt);
      if (job.attempt < 3) throw new Error(`app answered 503 (${job.attempt})`);
    });
    await outbox.enqueue(KIND, {});
    await outbox.runDue();
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', msg: 'outbox job failed; will retry', attempt: 1, retryInMs: 1_500, err: 'app answered 503 (1)' }));
    await time.advance(1_499);
    expect(await outbox.runDue()).toBe(0);
    await time.advance(1);
    expect(await outbox.runDue()).toBe(1);
    // Second step: 4 s × ¾ with random 0.5.
    await time.advance(2_999);
    expect(await outbox.runDue()).toBe(0);
    await time.advance(1);
    expect(await outbox.runDue()).toBe(1);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.deadLetters()).toEqual([]);
  });

  it('after maxAttempts failed runs the job is dead-lettered, logged, kept for inspection and never run again', async () => {
    const { outbox, time, logs } = rig({ retry: { maxAttempts: 3 } });
    let runs = 0;
    outbox.register(KIND, async () => {
      runs++;
      throw new Error('connection refused');
    });
    const { id } = await outbox.enqueue(KIND, { clientId: 'crm' });
    for (let i = 0; i < 5; i++) {
      await outbox.runDue();
      await time.advance(3_600_000);
    }
    expect(runs).toBe(3);
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.deadLetters()).toEqual([
      expect.objectContaining({ id, kind: KIND, payload: { clientId: 'crm' }, attempts: 3, lastError: 'connection refused', reason: '3 attempts' }),
    ]);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', msg: 'outbox job dead-lettered', jobId: id, kind: KIND, attempts: 3 }));
  });

  it('a job older than maxAgeMs is dead-lettered at its next failure, whatever its attempts', async () => {
    const { outbox, time } = rig({ retry: { maxAgeMs: 10_000 } });
    outbox.register(KIND, async () => {
      throw new Error('down');
    });
    await outbox.enqueue(KIND, {}, { delayMs: 10_000 });
    await time.advance(10_000);
    await outbox.runDue();
    expect(await outbox.deadLetters()).toEqual([expect.objectContaining({ attempts: 1, reason: 'older than 10000 ms' })]);
  });

  it('a PermanentJobError dead-letters the job at once', async () => {
    const { outbox } = rig();
    outbox.register(KIND, async () => {
      throw new PermanentJobError('payload lacks clientId');
    });
    await outbox.enqueue(KIND, {});
    await outbox.runDue();
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.deadLetters()).toEqual([expect.objectContaining({ attempts: 1, reason: 'permanent error', lastError: 'payload lacks clientId' })]);
  });

  it('dead letters are bounded: the oldest beyond maxDeadLetters, and those older than deadLetterTtlMs, are dropped', async () => {
    const { outbox, time } = rig({ maxDeadLetters: 2, deadLetterTtlMs: 60_000 });
    outbox.register(KIND, async (p) => {
      throw new PermanentJobError(`no ${JSON.stringify(p)}`);
    });
    for (const n of [1, 2, 3]) {
      await outbox.enqueue(KIND, { n });
      await outbox.runDue();
      await time.advance(1_000);
    }
    expect((await outbox.deadLetters()).map((d) => d.payload)).toEqual([{ n: 2 }, { n: 3 }]);
    await time.advance(60_000);
    await outbox.enqueue(KIND, { n: 4 });
    await outbox.runDue();
    expect((await outbox.deadLetters()).map((d) => d.payload)).toEqual([{ n: 4 }]);
  });

  it('a scheduled id whose record is unreadable is dead-lettered; one without a record is dropped', async () => {
    const { outbox, store } = rig();
    const keys = createKeys('t:').outbox();
    await store.exec([
      { op: 'hset', key: keys.jobs, values: { garbled: '{not json' } },
      { op: 'zaddScore', key: keys.schedule, members: [{ member: 'garbled', score: 0 }, { member: 'orphan', score: 0 }] },
    ]);
    expect(await outbox.runDue()).toBe(2);
    expect(await outbox.pending()).toBe(0);
    expect(await outbox.deadLetters()).toEqual([expect.objectContaining({ id: 'garbled', reason: 'unreadable record' })]);
  });

  it('a run longer than handlerTimeoutMs is aborted (its signal fires) and retried', async () => {
    const { outbox, time } = rig({ handlerTimeoutMs: 5_000 });
    const aborted = deferred();
    outbox.register(KIND, (_p, job) => {
      if (job.attempt > 1) return Promise.resolve();
      job.signal.addEventListener('abort', () => aborted.resolve());
      return new Promise(() => undefined);
    });
    await outbox.enqueue(KIND, {});
    const run = outbox.runDue();
    await time.advance(5_000);
    await aborted.promise;
    await run;
    expect(await outbox.deadLetters()).toEqual([]);
    await time.advance(1_500);
    expect(await outbox.runDue()).toBe(1);
    expect(await outbox.pending()).toBe(0);
  });
});

describe('outbox: leases, instances and deduplication', () => {
  it('a claimed job is not run by another instance; once its lease passes unacknowledged (a crash) another runs it, and the first one’s late result changes nothing', async () => {
    const { outbox, time, another } = rig();
    const hung = deferred();
    const crashed = another({ timer: frozenTimer });
    crashed.register(KIND, () => hung.promise);
    const healthy = outbox;
    let healthyRuns = 0;
    healthy.register(KIND, async () => {
      healthyRuns++;
      throw new Error('app down');
    });
    await healthy.enqueue(KIND, {});
    const crashedRun = crashed.runDue();
    await time.advance(0);
    expect(await healthy.runDue()).toBe(0);
    await time.advance(59_999);
    expect(await healthy.runDue()).toBe(0);
    await time.advance(1);
    expect(await healthy.runDue()).toBe(1);
    expect(healthyRuns).toBe(1);
    // The hung run finally "succeeds": its acknowledgement is refused (the lease is no longer its own).
    hung.resolve();
    await crashedRun;
    expect(await healthy.pending()).toBe(1);
    // The crashed run counted as attempt 1: the healthy one's failure was attempt 2 (4 s × ¾).
    await time.advance(3_000);
    expect(await healthy.runDue()).toBe(1);
    expect(healthyRuns).toBe(2);
  });

  it('a run that crashes its process still counts: a poison job is dead-lettered after maxAttempts claims', async () => {
    const { outbox, time, another } = rig({ retry: { maxAttempts: 2 } });
    outbox.register(KIND, async () => undefined);
    await outbox.enqueue(KIND, { poison: true });
    for (let i = 0; i < 2; i++) {
      const crashing = another({ timer: frozenTimer });
      crashing.register(KIND, () => new Promise(() => undefined));
      void crashing.runDue();
      await time.advance(60_000);
    }
    expect(await outbox.runDue()).toBe(1);
    expect(await outbox.deadLetters()).toEqual([expect.objectContaining({ attempts: 2, reason: 'gave up before running: 2 attempts' })]);
  });

  it('two instances draining at once run every job exactly once, never one job twice at the same time', async () => {
    const { outbox, another } = rig({ concurrency: 3 });
    const second = another();
    const running = new Set<string>();
    const runs: string[] = [];
    const handler = async (_p: unknown, job: JobContext) => {
      if (running.has(job.id)) throw new Error(`job ${job.id} ran twice at once`);
      running.add(job.id);
      runs.push(job.id);
      await new Promise((r) => setImmediate(r));
      running.delete(job.id);
    };
    outbox.register(KIND, handler);
    second.register(KIND, handler);
    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => outbox.enqueue(KIND, { n }).then((r) => r.id)));
    await Promise.all([outbox.drain(), second.drain()]);
    expect(runs.sort()).toEqual(ids.sort());
    expect(await outbox.deadLetters()).toEqual([]);
  });

  it('a dedupeKey enqueues once while a job with it is pending (also while it retries), and again once it is done', async () => {
    const { outbox, time } = rig();
    let fail = true;
    let runs = 0;
    outbox.register(KIND, async () => {
      runs++;
      if (fail) throw new Error('once');
    });
    const first = await outbox.enqueue(KIND, { v: 1 }, { dedupeKey: 'crm:sid-1' });
    const again = await outbox.enqueue(KIND, { v: 2 }, { dedupeKey: 'crm:sid-1' });
    expect(again).toEqual({ id: first.id, enqueued: false });
    const other = await outbox.enqueue(KIND, { v: 3 }, { dedupeKey: 'crm:sid-2' });
    expect(other.enqueued).toBe(true);
    expect(await outbox.pending()).toBe(2);
    await outbox.runDue();
    expect((await outbox.enqueue(KIND, {}, { dedupeKey: 'crm:sid-1' })).enqueued).toBe(false);
    fail = false;
    await time.advance(1_500);
    await outbox.drain();
    expect(runs).toBe(4);
    expect((await outbox.enqueue(KIND, {}, { dedupeKey: 'crm:sid-1' })).enqueued).toBe(true);
  });

  it('a job of a kind without a handler here waits, not counted as an attempt, until an instance with one runs it', async () => {
    const { outbox, time, another, logs } = rig();
    await outbox.enqueue('test.future-kind', { x: 1 });
    expect(await outbox.runDue()).toBe(1);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', kind: 'test.future-kind' }));
    expect(await outbox.pending()).toBe(1);
    const upgraded = another();
    const seen: number[] = [];
    upgraded.register('test.future-kind', async (_p, job) => void seen.push(job.attempt));
    expect(await upgraded.runDue()).toBe(0);
    await time.advance(30_000);
    expect(await upgraded.runDue()).toBe(1);
    expect(seen).toEqual([1]);
  });
});

describe('outbox: the poll loop and stop', () => {
  it('once started, runs a job soon after it is enqueued, and a delayed one at the first poll after its time', async () => {
    const { outbox, time } = rig();
    const ran: unknown[] = [];
    outbox.register(KIND, async (p) => void ran.push(p));
    outbox.start();
    await outbox.enqueue(KIND, 'now');
    await time.advance(0);
    expect(ran).toEqual(['now']);
    await outbox.enqueue(KIND, 'later', { delayMs: 2_500 });
    await time.advance(2_000);
    expect(ran).toEqual(['now']);
    await time.advance(1_000);
    expect(ran).toEqual(['now', 'later']);
    await outbox.stop();
  });

  it('stop waits for a running job to finish, then no more polls happen', async () => {
    const { outbox, time } = rig();
    const started = deferred();
    const finish = deferred();
    let runs = 0;
    outbox.register(KIND, async () => {
      runs++;
      started.resolve();
      await finish.promise;
    });
    outbox.start();
    await outbox.enqueue(KIND, {});
    await time.advance(0);
    await started.promise;
    let stopped = false;
    const stopping = outbox.stop().then(() => (stopped = true));
    await time.advance(1_000);
    expect(stopped).toBe(false);
    finish.resolve();
    await stopping;
    expect(await outbox.pending()).toBe(0);
    await outbox.enqueue(KIND, {});
    await time.advance(10_000);
    expect(runs).toBe(1);
    expect(time.pending()).toBe(0);
  });

  it('stop gives up waiting after stopTimeoutMs and aborts the run; the job stays pending for another instance', async () => {
    const { outbox, time, logs } = rig({ stopTimeoutMs: 2_000 });
    const aborted = deferred();
    outbox.register(KIND, (_p, job) => {
      job.signal.addEventListener('abort', () => aborted.resolve());
      return new Promise(() => undefined);
    });
    outbox.start();
    await outbox.enqueue(KIND, {});
    await time.advance(0);
    let stopped = false;
    const stopping = outbox.stop().then(() => (stopped = true));
    await time.advance(1_999);
    expect(stopped).toBe(false);
    await time.advance(1);
    await stopping;
    await aborted.promise;
    expect(logs).toContainEqual(expect.objectContaining({ level: 'warn', running: 1 }));
    expect(await outbox.pending()).toBe(1);
  });

  it('a store outage is logged once, not at every poll', async () => {
    const { outbox, time, store, logs } = rig();
    outbox.start();
    await time.advance(0);
    await store.close();
    for (let i = 0; i < 5; i++) await time.advance(1_000);
    expect(logs.filter((l) => l.msg.startsWith('outbox poll failed'))).toHaveLength(1);
    await outbox.stop();
  });
});
