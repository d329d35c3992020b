/**
 * Runs the outbox's jobs: a poll loop claims due jobs (a lease in the store, so no other instance
 * runs them meanwhile), runs each in parallel under a deadline, then acknowledges, retries with
 * backoff or dead-letters it. Never called from a request: enqueueing only wakes the loop.
 */
import type { Clock } from '../shared/clock.js';
import { PermanentJobError, type JobHandler } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import { exhausted, retryDelayMs, type OutboxSettings, type RetryPolicy } from './outbox-policy.js';
import type { DeadLetter, JobRecord, OutboxRecords } from './outbox-records.js';

/** setTimeout/clearTimeout, injectable so tests move time instead of sleeping. */
export interface OutboxTimer {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers that never keep the process alive on their own. */
export const systemTimer: OutboxTimer = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Registered {
  handler: JobHandler;
  retry: RetryPolicy;
}

export interface WorkerDeps {
  records: OutboxRecords;
  handlers: ReadonlyMap<string, Registered>;
  settings: OutboxSettings;
  clock: Clock;
  timer: OutboxTimer;
  random: () => number;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
}

// An error message kept with a job and logged is cut to this length.
const MAX_ERROR_CHARS = 300;
const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_CHARS);

export function createOutboxWorker(deps: WorkerDeps) {
  const { records, settings, clock, timer, logger } = deps;
  const inFlight = new Set<Promise<void>>();
  const aborts = new Set<AbortController>();
  let running = false;
  let pollHandle: unknown;
  let polling: Promise<void> | undefined;
  let pollFailing = false;
  // The last claim filled every free slot: more may be due, so a finished run looks again at once.
  let saturated = false;
  // Woken while a poll was under way: look again as soon as it ends.
  let wokenDuringPoll = false;

  /** Runs the handler under the deadline; its AbortSignal fires at the deadline or on stop. */
  async function runHandler(registered: Registered, job: JobRecord): Promise<void> {
    const abort = new AbortController();
    aborts.add(abort);
    let handle: unknown;
    const deadline = new Promise<never>((_, reject) => {
      handle = timer.setTimeout(() => {
        abort.abort();
        reject(new Error(`no result within ${settings.handlerTimeoutMs} ms`));
      }, settings.handlerTimeoutMs);
    });
    try {
      await Promise.race([registered.handler(job.payload, { id: job.id, kind: job.kind, attempt: job.attempts, signal: abort.signal }), deadline]);
    } finally {
      timer.clearTimeout(handle);
      aborts.delete(abort);
    }
  }

  async function bury(job: JobRecord, until: number, reason: string): Promise<void> {
    const dead: DeadLetter = { ...job, deadAt: clock.now(), reason };
    if (!(await records.bury(dead, until))) return;
    logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts, reason, err: job.lastError }, 'outbox job dead-lettered');
    await records.trimDead(settings.maxDeadLetters, dead.deadAt - settings.deadLetterTtlMs);
  }

  /** One claimed job, start to finish. Store failures leave the lease to pass: the job is retried. */
  async function runJob(id: string, until: number): Promise<void> {
    const read = await records.read(id);
    if (read.state === 'missing') {
      await records.ack(id, until);
      return;
    }
    if (read.state === 'corrupt') {
      await bury({ id, kind: 'unknown', payload: null, createdAt: clock.now(), attempts: 0 }, until, 'unreadable record');
      return;
    }
    const registered = deps.handlers.get(read.job.kind);
    if (!registered) {
      logger.warn({ jobId: id, kind: read.job.kind }, 'outbox job of a kind without handler here; postponed');
      await records.postpone(id, until, clock.now() + settings.unknownKindDelayMs);
      return;
    }
    // A run that crashed the process was counted when it started: poison jobs end up here. (Age
    // is judged at a failure, so a job that waited for its time still gets its run.)
    if (read.job.attempts >= registered.retry.maxAttempts) {
      await bury(read.job, until, `gave up before running: ${read.job.attempts} attempts`);
      return;
    }
    const job: JobRecord = { ...read.job, attempts: read.job.attempts + 1, lastAttemptAt: clock.now() };
    if (!(await records.startAttempt(job, until))) return;
    try {
      await runHandler(registered, job);
    } catch (err) {
      await fail({ ...job, lastError: errorText(err) }, until, registered.retry, err instanceof PermanentJobError);
      return;
    }
    await records.ack(id, until);
    logger.debug({ jobId: id, kind: job.kind, attempt: job.attempts }, 'outbox job done');
  }

  async function fail(job: JobRecord, until: number, retry: RetryPolicy, permanent: boolean): Promise<void> {
    const given = permanent ? 'permanent error' : exhausted(job.attempts, job.createdAt, clock.now(), retry);
    if (given) {
      await bury(job, until, given);
      return;
    }
    const delayMs = retryDelayMs(job.attempts, retry, deps.random);
    if (await records.retry(job, until, clock.now() + delayMs)) {
      logger.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, retryInMs: delayMs, err: job.lastError }, 'outbox job failed; will retry');
    }
  }

  function track(run: Promise<void>, id: string): Promise<void> {
    const tracked = run.catch((err) => logger.error({ jobId: id, err: errorText(err) }, 'outbox job not settled; retried when its lease passes'));
    inFlight.add(tracked);
    void tracked.finally(() => {
      inFlight.delete(tracked);
      if (saturated) {
        saturated = false;
        kick();
      }
    });
    return tracked;
  }

  /** Claims as many due jobs as there are free slots and starts them; answers their runs. */
  async function claimAndStart(): Promise<{ runs: Promise<void>[]; full: boolean }> {
    const free = settings.concurrency - inFlight.size;
    if (free <= 0) return { runs: [], full: false };
    const now = clock.now();
    const until = now + settings.leaseMs;
    const ids = await records.claim(now, until, free);
    return { runs: ids.map((id) => track(runJob(id, until), id)), full: ids.length === free };
  }

  function kick(): void {
    if (!running) return;
    if (polling) wokenDuringPoll = true;
    else schedule(0);
  }

  async function runDue(): Promise<number> {
    const { runs } = await claimAndStart();
    await Promise.all(runs);
    return runs.length;
  }

  function schedule(ms: number): void {
    if (!running) return;
    timer.clearTimeout(pollHandle);
    pollHandle = timer.setTimeout(() => void poll(), ms);
  }

  async function poll(): Promise<void> {
    if (!running || polling) return;
    polling = (async () => {
      try {
        ({ full: saturated } = await claimAndStart());
        if (pollFailing) logger.info('outbox polling again');
        pollFailing = false;
      } catch (err) {
        // Logged once per outage, not once per poll.
        if (!pollFailing) logger.warn({ err: errorText(err) }, 'outbox poll failed; retrying every poll interval');
        pollFailing = true;
      }
    })();
    await polling;
    polling = undefined;
    schedule(wokenDuringPoll ? 0 : settings.pollIntervalMs);
    wokenDuringPoll = false;
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      schedule(0);
    },

    /** Looks for due jobs soon (after an enqueue), outside the caller's call stack. */
    kick,

    /** Claims the due jobs now and waits for their runs; answers how many ran. */
    runDue,

    /** Runs due jobs until none is due or running on this instance (jobs retried later are not waited for). */
    async drain(maxRounds = 1_000): Promise<number> {
      let total = 0;
      for (let round = 0; round < maxRounds; round++) {
        await polling;
        await Promise.all([...inFlight]);
        const ran = await runDue();
        total += ran;
        if (ran === 0 && inFlight.size === 0 && !polling) return total;
      }
      return total;
    },

    /** Stops polling and waits for running jobs up to stopTimeoutMs; those still running are aborted. */
    async stop(): Promise<void> {
      running = false;
      timer.clearTimeout(pollHandle);
      await polling;
      if (inFlight.size === 0) return;
      let handle: unknown;
      const bound = new Promise<void>((resolve) => (handle = timer.setTimeout(resolve, settings.stopTimeoutMs)));
      await Promise.race([Promise.all([...inFlight]), bound]);
      timer.clearTimeout(handle);
      if (inFlight.size > 0) {
        logger.warn({ running: inFlight.size }, 'outbox stopped with jobs still running; they run again elsewhere when their leases pass');
        for (const abort of aborts) abort.abort();
      }
    },

    get running(): number {
      return inFlight.size;
    },
  };
}

export type OutboxWorker = ReturnType<typeof createOutboxWorker>;
