/**
 * A clock and a timer that move only when the test says so: `advance(ms)` moves the clock and
 * fires the timers that fell due, in order. Code that takes a Clock and a timer runs without sleeps.
 */
import type { Clock } from '../../src/shared/clock.js';
import type { OutboxTimer } from '../../src/ops/outbox-worker.js';

export interface FakeTime {
  clock: Clock;
  timer: OutboxTimer;
  /** Moves time forward, firing due timers (and letting their promise chains settle). */
  advance(ms: number): Promise<void>;
  /** Timers waiting to fire. */
  pending(): number;
}

/** Lets pending promise chains (store calls of the memory store included) run to their end. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function fakeTime(start = Date.UTC(2026, 0, 1)): FakeTime {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const nextDue = () => [...timers.entries()].filter(([, t]) => t.at <= now).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];

  return {
    clock: { now: () => now },
    timer: {
      setTimeout(fn, ms) {
        seq += 1;
        timers.set(seq, { at: now + ms, fn });
        return seq;
      },
      clearTimeout(handle) {
        timers.delete(handle as number);
      },
    },
    async advance(ms) {
      // What is under way happens at the current time first (a run starting sets its deadline now).
      await settle();
      now += ms;
      await settle();
      for (let due = nextDue(); due; due = nextDue()) {
        timers.delete(due[0]);
        due[1].fn();
        await settle();
      }
    },
    pending: () => timers.size,
  };
}
