/**
 * One named rate limit (`login_ip`, `token_ip`, …): counts hits per subject (a client IP or a tenant
 * id) on the store's shared window counters, and says when a subject is over. Every refusal is one
 * `rate_limited` observation (metrics and the audit trail listen).
 *
 * It fails open: when the store cannot count (down, slow, not connected yet), the request is served
 * and a warning is logged — at most once a minute per limit, so an outage does not flood the log. A
 * limiter outage must never become a login outage; the limits guard capacity, not secrets (every
 * secret they sit in front of is already unguessable on its own).
 */
import type { Observations } from '../shared/observations.js';
import type { WindowCounter, WindowState } from '../store/rate-counter.js';
import type { RequestOrigin } from '../http/state.js';

export type LimitScope = 'ip' | 'tenant';

/** What a refused request is told, and what the observation carries. */
export interface Refusal {
  limit: string;
  scope: LimitScope;
  /** Whole seconds until the window ends (at least 1): the `Retry-After` value. */
  retryAfterSeconds: number;
  tenantId?: string;
}

export interface Limit {
  readonly name: string;
  /** Counts one hit for `subject`; the refusal when this hit is over the limit, else null. */
  hit(subject: string, origin: RequestOrigin): Promise<Refusal | null>;
  /**
   * Without counting: the refusal when the window of `subject` is used up (another hit would be
   * over), else null. For limits that count only failures and then refuse everything.
   */
  check(subject: string, origin: RequestOrigin): Promise<Refusal | null>;
}

export interface LimitDeps {
  observations: Observations;
  logger: { warn(obj: object, msg: string): void };
  now: () => number;
}

// How often a store outage is repeated in the log while it lasts, per limit.
const OUTAGE_WARNING_EVERY_MS = 60_000;

export function createLimit(name: string, scope: LimitScope, counter: WindowCounter, deps: LimitDeps): Limit {
  let lastWarning = -Infinity;

  /** The counter's answer, or null (serve the request) when the store cannot give one. */
  async function ask(read: () => Promise<WindowState>): Promise<WindowState | null> {
    try {
      return await read();
    } catch (err) {
      const now = deps.now();
      if (now - lastWarning >= OUTAGE_WARNING_EVERY_MS) {
        lastWarning = now;
        deps.logger.warn({ limit: name, reason: (err as Error).message }, 'rate limit not checked (store unavailable): requests are served without it');
      }
      return null;
    }
  }

  function refuse(refused: boolean, state: WindowState | null, subject: string, origin: RequestOrigin): Refusal | null {
    if (!state || !refused) return null;
    const refusal: Refusal = { limit: name, scope, retryAfterSeconds: Math.max(1, Math.ceil(state.msLeft / 1000)), ...(scope === 'tenant' ? { tenantId: subject } : {}) };
    deps.observations.emit({ kind: 'rate_limited', ...refusal, sourceIp: origin.sourceIp, ...(origin.requestId ? { requestId: origin.requestId } : {}) });
    return refusal;
  }

  return {
    name,
    async hit(subject, origin) {
      const state = await ask(() => counter.hit(subject));
      return refuse(state?.over === true, state, subject, origin);
    },
    async check(subject, origin) {
      const state = await ask(() => counter.peek(subject));
      return refuse(state?.remaining === 0, state, subject, origin);
    },
  };
}
