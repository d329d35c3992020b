/**
 * Background jobs: what a room hands to the durable outbox (ops/outbox.ts) instead of doing it
 * inside a request — back-channel logout after deprovisioning today; fetching an order from
 * KooGallery or CAS single logout later. Shared vocabulary, so a room can enqueue jobs and export
 * handlers without importing ops/ (the outbox is wired to them in app.ts).
 *
 * A payload is plain JSON, kept in the store until the job is done or dead-lettered and visible to
 * anyone who can read Redis or the dead letters: never put a secret, a token or a credential in
 * it. Pass identifiers (client id, session id, order id) and let the handler fetch or mint what it
 * sends at run time.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now (default: at once). */
  delayMs?: number;
  /**
   * At most one job per (kind, dedupeKey) waits or runs at a time: enqueueing again meanwhile does
   * nothing and answers the pending job's id. Once that job is done or dead, the key is free again.
   */
  dedupeKey?: string;
}

export interface EnqueueResult {
  id: string;
  /** False when a job with the same dedupeKey was already pending. */
  enqueued: boolean;
}

/** The enqueueing side of the outbox: what rooms receive. */
export interface JobQueue {
  /** Durable when it resolves: the job survives a crash and runs at least once. */
  enqueue(kind: string, payload: JsonValue, opts?: EnqueueOptions): Promise<EnqueueResult>;
}

export interface JobContext {
  id: string;
  kind: string;
  /** 1 for the first run. */
  attempt: number;
  /** Aborted when the run exceeds its deadline or the outbox stops; handlers pass it to fetch. */
  signal: AbortSignal;
}

/**
 * Does the job's work. Resolving acknowledges the job; throwing schedules a retry with backoff
 * (or dead-letters it once attempts or age are exhausted). It may run more than once — after a
 * crash, or when an acknowledgement was lost — so it must be safe to repeat. Its error message is
 * logged and kept with the job: no secrets in it either.
 */
export type JobHandler = (payload: unknown, job: JobContext) => Promise<void>;

/** Thrown by a handler when retrying cannot help (a malformed payload): dead-lettered at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
