/**
 * The outbox's settings and its retry policy: exponential backoff with jitter, up to a number of
 * attempts and an age, then the dead letters.
 */

export interface RetryPolicy {
  /** Delay before the first retry; each further retry doubles it. */
  baseDelayMs: number;
  /** Ceiling of the doubling. */
  maxDelayMs: number;
  /** Runs in all (the first included) before the job is dead-lettered. */
  maxAttempts: number;
  /** A job older than this is dead-lettered at its next failure, whatever its attempts. */
  maxAgeMs: number;
}

export interface OutboxSettings {
  /** How often an idle instance looks for due jobs (one cheap script per poll). */
  pollIntervalMs: number;
  /**
   * How long a claimed job is hidden from other instances; a crashed worker's jobs are due again
   * after it. Leases are stamped with the claiming instance's clock: keep instances NTP-synced
   * (skew of a second is nothing against a minute).
   */
  leaseMs: number;
  /** Deadline of one run; must stay well under the lease so a job never runs twice at once. */
  handlerTimeoutMs: number;
  /** Jobs one instance runs in parallel. */
  concurrency: number;
  /** How long stop() waits for running jobs. */
  stopTimeoutMs: number;
  /** When no handler is registered for a job's kind here (a rolling upgrade), it waits this long, not counted as an attempt. */
  unknownKindDelayMs: number;
  /** Dead letters kept, newest first; older ones are trimmed. */
  maxDeadLetters: number;
  /** Dead letters older than this are trimmed. */
  deadLetterTtlMs: number;
  retry: RetryPolicy;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_RETRY: RetryPolicy = {
  // 1–2 s, 2–4 s, … doubling to 5–10 min: an app restarting gets its notification within seconds,
  // one down for half an hour still gets it, and a flood of retries after an outage is spread out.
  baseDelayMs: 2 * SECOND,
  maxDelayMs: 10 * MINUTE,
  // 12 runs span about 18–37 minutes with the delays above.
  maxAttempts: 12,
  // A notification a day late helps no one (sessions and tokens it concerns have expired by then).
  maxAgeMs: 24 * HOUR,
};

export const DEFAULT_SETTINGS: OutboxSettings = {
  // A job enqueued on another instance waits at most a second; the enqueuing instance starts it at once.
  pollIntervalMs: SECOND,
  leaseMs: MINUTE,
  // Back-channel logout has its own 2.5 s timeout; other kinds use the outbound deadline. 15 s is
  // far below the lease, so a lease never passes while its run is still going.
  handlerTimeoutMs: 15 * SECOND,
  concurrency: 16,
  // main.ts gives requests 10 s to finish first: the whole shutdown stays under the 30 s most
  // orchestrators wait before SIGKILL. A job still running after this is retried elsewhere.
  stopTimeoutMs: 5 * SECOND,
  unknownKindDelayMs: 30 * SECOND,
  maxDeadLetters: 1_000,
  deadLetterTtlMs: 7 * 24 * HOUR,
  retry: DEFAULT_RETRY,
};

export type OutboxSettingsInput = Partial<Omit<OutboxSettings, 'retry'>> & { retry?: Partial<RetryPolicy> };

export function outboxSettings(input: OutboxSettingsInput = {}): OutboxSettings {
  const settings: OutboxSettings = { ...DEFAULT_SETTINGS, ...input, retry: { ...DEFAULT_RETRY, ...input.retry } };
  for (const [name, value] of Object.entries({ ...settings, ...settings.retry })) {
    if (typeof value === 'number' && (!Number.isSafeInteger(value) || value < (name === 'stopTimeoutMs' ? 0 : 1))) {
      throw new Error(`outbox: ${name} must be a positive whole number`);
    }
  }
  if (settings.handlerTimeoutMs >= settings.leaseMs) throw new Error('outbox: handlerTimeoutMs must be shorter than leaseMs');
  return settings;
}

/**
 * Delay before the retry that follows failed run number `attempt` (1-based): the doubling step,
 * capped, with "equal jitter" — half the step fixed, half random — so retries of many jobs that
 * failed together spread out but none comes back sooner than half its step.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Whether a job that has run `attempts` times and was created at `createdAt` may run again. */
export const exhausted = (attempts: number, createdAt: number, now: number, policy: RetryPolicy): string | null =>
  attempts >= policy.maxAttempts ? `${attempts} attempts` : now - createdAt >= policy.maxAgeMs ? `older than ${policy.maxAgeMs} ms` : null;
