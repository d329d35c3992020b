/**
 * Writes entries to their streams without ever slowing or failing the request that produced them:
 * `push` only queues (synchronous, O(1)); a drain loop writes small batches in the background.
 *
 * While the store is down the queue holds what it can (bounded: the oldest entries stay, new ones
 * are dropped, counted, and one warning per outage says so); the loop retries after a pause. At
 * shutdown `close` writes what is queued, within a deadline, then stops.
 */
import { isKbError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Store } from '../store/types.js';
import type { Entry, Stream } from './entries.js';

export interface WriterOptions {
  store: Store;
  logger: Logger;
  now: () => number;
  /** The stream key of each stream. */
  keyOf: Record<Stream, string>;
  /** How long each stream keeps entries (ms); trimmed on every write (MINID ~). */
  retentionMs: Record<Stream, number>;
  /** Most entries waiting at once (default 10 000: a few MB, minutes of a busy bridge). */
  maxQueue?: number;
  /** Entries written per round trip batch (default 50). */
  batchSize?: number;
  /** Pause before retrying after a failed write (default 1 s). */
  retryMs?: number;
  /** Longest `close` waits for the queue to be written (default 3 s, inside the shutdown grace). */
  closeTimeoutMs?: number;
}

export interface WriterStats {
  queued: number;
  written: number;
  dropped: number;
  failedWrites: number;
}

export interface Writer {
  push(entry: Entry): void;
  /** Resolves once everything queued so far is written (or the store refused it). For tests. */
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): WriterStats;
}

export function createWriter(opts: WriterOptions): Writer {
  const { store, logger } = opts;
  const maxQueue = opts.maxQueue ?? 10_000;
  const batchSize = opts.batchSize ?? 50;
  const retryMs = opts.retryMs ?? 1_000;
  const queue: Entry[] = [];
  const stats = { written: 0, dropped: 0, failedWrites: 0 };
  let draining: Promise<void> | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let outage = false;
  let warnedDrop = false;
  /** Entries taken from the queue for the batch being written; they count against maxQueue. */
  let inFlight = 0;
  let closed = false;

  async function writeBatch(batch: Entry[]): Promise<Entry[]> {
    const now = opts.now();
    // One XADD per entry, sent together (ioredis pipelines them on one connection, in order).
    const results = await Promise.allSettled(
      batch.map((e) => store.xadd(opts.keyOf[e.stream], e.fields, { minIdMs: Math.max(0, now - opts.retentionMs[e.stream]) })),
    );
    const reasonOf = (i: number) => (results[i]!.status === 'rejected' ? (results[i] as PromiseRejectedResult).reason : null);
    // Only an outage is worth waiting for; an entry the store refuses as such (a bug) would block the queue forever.
    const refused = batch.filter((_, i) => reasonOf(i) !== null && !isKbError(reasonOf(i), 'store_unavailable'));
    if (refused.length > 0) {
      stats.dropped += refused.length;
      logger.error({ err: (reasonOf(batch.indexOf(refused[0]!)) as Error)?.message, dropped: refused.length }, 'audit: the store refused entries; they are dropped');
    }
    const failed = batch.filter((_, i) => reasonOf(i) !== null && isKbError(reasonOf(i), 'store_unavailable'));
    stats.written += batch.length - failed.length - refused.length;
    if (failed.length > 0) {
      stats.failedWrites += failed.length;
      const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason;
      if (!outage) logger.warn({ err: (reason as Error)?.message, waiting: queue.length + failed.length }, 'audit: the store refused a write; entries wait in memory and are retried');
      outage = true;
    } else if (outage) {
      outage = false;
      warnedDrop = false;
      logger.info({ dropped: stats.dropped }, 'audit: the store accepts writes again');
    }
    return failed;
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, batchSize);
      inFlight = batch.length;
      const failed = await writeBatch(batch).finally(() => {
        inFlight = 0;
      });
      if (failed.length > 0) {
        queue.unshift(...failed);
        if (!closed) scheduleRetry();
        return;
      }
    }
  }

  function start(): Promise<void> {
    draining ??= drain().finally(() => {
      draining = null;
      // Pushed while the last batch was being acknowledged: nobody else would start a round.
      if (queue.length > 0 && !retryTimer && !closed) void start();
    });
    return draining;
  }

  function scheduleRetry(): void {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void start();
    }, retryMs);
    retryTimer.unref(); // never keeps a process alive on its own
  }

  return {
    push(entry) {
      if (queue.length + inFlight >= maxQueue) {
        stats.dropped += 1;
        // One warning per outage: a dead store must not turn into a log flood.
        if (!warnedDrop) logger.warn({ dropped: stats.dropped, maxQueue }, 'audit: queue full, entries are dropped until the store accepts writes');
        warnedDrop = true;
        return;
      }
      queue.push(entry);
      // Waiting for a retry after a failure: do not hammer a store that is down.
      if (!retryTimer && !draining) void start();
    },
    async flush() {
      while (draining) await draining;
      if (queue.length > 0 && !retryTimer) await start();
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, opts.closeTimeoutMs ?? 3_000)));
      await Promise.race([(async () => {
        while (draining) await draining;
        if (queue.length > 0) await start();
      })(), deadline]);
      clearTimeout(timer);
      if (queue.length > 0) logger.warn({ lost: queue.length }, 'audit: entries not written at shutdown');
    },
    stats: () => ({ queued: queue.length + inFlight, ...stats }),
  };
}
