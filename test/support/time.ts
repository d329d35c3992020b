/**
 * Time that tests move by hand instead of sleeping (the rooms take a Clock, see
 * src/shared/clock.ts).
 */
import type { Clock } from '../../src/shared/clock.js';

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`. */
  advance(ms: number): void;
}

/** A clock standing still at `start` until advanced. */
export function fakeClock(start = Date.UTC(2026, 10, 21, 2, 0, 0)): FakeClock {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/**
 * A clock that runs with the wall clock, plus whatever the test moved it forward: for a running
 * bridge, whose HTTP clients, Redis TTLs and signed webhooks live in real time too.
 */
export function steppingClock(): FakeClock {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
}

/**
 * Runs `fn` with `Date.now` moved `ms` ahead, for the code that reads the wall clock itself
 * (oidc-provider, and parts of the bridge not yet given a Clock); restored whatever happens.
 */
export async function withDateNowAhead<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  const realNow = Date.now;
  Date.now = () => realNow() + ms;
  try {
    return await fn();
  } finally {
    Date.now = realNow;
  }
}
