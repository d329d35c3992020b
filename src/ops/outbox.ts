/**
 * The durable outbox: work that must happen after a request, not inside it (notifications to the
 * merchant's apps, calls to KooGallery), kept in the store until done. Named job kinds, one
 * handler each; at-least-once, in parallel, retried with backoff, dead-lettered when hopeless.
 *
 *   const outbox = createOutbox({ store, keys, clock, logger });
 *   outbox.register('oidc.backchannel-logout', handler);
 *   outbox.start();
 *   await outbox.enqueue('oidc.backchannel-logout', { clientId, accountId, sid }, { dedupeKey });
 *
 * Payloads are JSON and never secrets or tokens (see shared/jobs.ts). Order is not guaranteed.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { KbError } from '../shared/errors.js';
import { sha256Base64url } from '../shared/hash.js';
import type { EnqueueOptions, EnqueueResult, JobHandler, JobQueue, JsonValue } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { outboxSettings, type OutboxSettingsInput, type RetryPolicy } from './outbox-policy.js';
import { createOutboxRecords, type DeadLetter } from './outbox-records.js';
import { createOutboxWorker, systemTimer, type OutboxTimer, type Registered } from './outbox-worker.js';

export interface OutboxDeps {
  store: Store;
  keys: Keys;
  clock: Clock;
  logger: Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  settings?: OutboxSettingsInput;
  /** Poll loop, run deadlines and the stop bound; tests pass a manual one. */
  timer?: OutboxTimer;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

export interface Outbox extends JobQueue {
  /** One handler per kind; `retry` overrides the default policy for that kind. */
  register(kind: string, handler: JobHandler, opts?: { retry?: Partial<RetryPolicy> }): void;
  /** Starts the poll loop (idempotent). */
  start(): void;
  /** Stops polling; waits for running jobs up to `stopTimeoutMs`. Pending jobs stay in the store. */
  stop(): Promise<void>;
  /** Claims the jobs due now and runs them (tests; no sleeping). Answers how many ran. */
  runDue(): Promise<number>;
  /** Runs due jobs until none is due or running on this instance. Answers how many ran. */
  drain(): Promise<number>;
  /** Jobs waiting, retrying or running, on every instance. */
  pending(): Promise<number>;
  /** Dead letters, oldest first. */
  deadLetters(limit?: number): Promise<DeadLetter[]>;
}

// Kinds read as `room.what`; they are logged and stored, so they stay short and plain.
const KIND = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/;
const MAX_KIND_CHARS = 64;
// A job carries identifiers, not documents: anything larger is a mistake, and the store is memory.
const MAX_PAYLOAD_BYTES = 16 * 1024;
const MAX_DEDUPE_KEY_CHARS = 512;
const MAX_DELAY_MS = 7 * 24 * 3600_000;

const refuse = (why: string) => new KbError('internal', `outbox: ${why}`);

function assertKind(kind: string): void {
  if (typeof kind !== 'string' || kind.length > MAX_KIND_CHARS || !KIND.test(kind)) throw refuse(`invalid job kind ${JSON.stringify(String(kind).slice(0, MAX_KIND_CHARS))}`);
}

/** Plain JSON only: what JSON.stringify would silently drop or change (undefined, NaN, a Date) is refused. */
function assertJson(value: unknown, depth = 0): void {
  if (depth > 32) throw refuse('payload nests too deep');
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw refuse('payload numbers must be finite');
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) assertJson(item, depth + 1);
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const item of Object.values(value)) assertJson(item, depth + 1);
    return;
  }
  throw refuse(`payload must be plain JSON, not ${typeof value === 'object' ? 'a class instance' : typeof value}`);
}

export function createOutbox(deps: OutboxDeps): Outbox {
  const settings = outboxSettings(deps.settings);
  const records = createOutboxRecords(deps.store, deps.keys.outbox());
  const handlers = new Map<string, Registered>();
  const worker = createOutboxWorker({
    records,
    handlers,
    settings,
    clock: deps.clock,
    timer: deps.timer ?? systemTimer,
    random: deps.random ?? Math.random,
    logger: deps.logger,
  });

  return {
    async enqueue(kind: string, payload: JsonValue, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
      assertKind(kind);
      assertJson(payload);
      const text = JSON.stringify(payload);
      if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw refuse(`payload over ${MAX_PAYLOAD_BYTES} bytes`);
      const delayMs = opts.delayMs ?? 0;
      if (!Number.isSafeInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS) throw refuse('delayMs must be a whole number of ms, at most 7 days');
      const { dedupeKey } = opts;
      if (dedupeKey !== undefined && (typeof dedupeKey !== 'string' || dedupeKey.length === 0 || dedupeKey.length > MAX_DEDUPE_KEY_CHARS)) {
        throw refuse(`dedupeKey must be 1–${MAX_DEDUPE_KEY_CHARS} characters`);
      }
      // A deduplicated job's id is derived from its key, so "already pending?" is one guarded write.
      const id = dedupeKey === undefined ? randomBytes(16).toString('base64url') : `d.${sha256Base64url(`${kind}\n${dedupeKey}`)}`;
      const now = deps.clock.now();
      const job = { id, kind, payload: JSON.parse(text) as JsonValue, createdAt: now, attempts: 0, ...(dedupeKey === undefined ? {} : { dedupeKey }) };
      const enqueued = await records.add(job, now + delayMs, dedupeKey !== undefined);
      if (enqueued && delayMs === 0) worker.kick();
      return { id, enqueued };
    },

    register(kind, handler, opts = {}) {
      assertKind(kind);
      if (handlers.has(kind)) throw refuse(`a handler for ${kind} is already registered`);
      handlers.set(kind, { handler, retry: outboxSettings({ retry: { ...settings.retry, ...opts.retry } }).retry });
    },

    start: () => worker.start(),
    stop: () => worker.stop(),
    runDue: () => worker.runDue(),
    drain: () => worker.drain(),
    pending: () => records.pending(),
    deadLetters: (limit = 100) => records.deadLetters(limit),
  };
}
