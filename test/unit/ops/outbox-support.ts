/** An outbox on the memory store with fake time and captured logs, for the outbox's unit tests. */
import { createOutbox, type Outbox } from '../../../src/ops/outbox.js';
import type { OutboxSettingsInput } from '../../../src/ops/outbox-policy.js';
import type { OutboxTimer } from '../../../src/ops/outbox-worker.js';
import type { Logger } from '../../../src/shared/logger.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore, type MemoryStore } from '../../../src/store/memory.js';
import { fakeTime, type FakeTime } from '../../support/fake-time.js';

export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface Rig {
  time: FakeTime;
  store: MemoryStore;
  outbox: Outbox;
  logs: LogLine[];
  /** Another outbox on the same store and clock (another instance); `timer` defaults to the shared one. */
  another(opts?: { timer?: OutboxTimer }): Outbox;
}

/** A timer that never fires: the worker of a process that hangs or has crashed. */
export const frozenTimer: OutboxTimer = { setTimeout: () => undefined, clearTimeout: () => undefined };

export function rig(settings: OutboxSettingsInput = {}): Rig {
  const time = fakeTime();
  const store = createMemoryStore({ now: time.clock.now });
  const keys = createKeys('t:');
  const logs: LogLine[] = [];
  const line = (level: string) => (obj: object | string, msg?: string) =>
    void logs.push(typeof obj === 'string' ? { level, msg: obj } : { level, msg: msg ?? '', ...obj });
  const logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') } as unknown as Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
  // random 0.5: every retry waits exactly three quarters of its doubling step.
  const make = (timer: OutboxTimer) => createOutbox({ store, keys, clock: time.clock, logger, timer, random: () => 0.5, settings });
  return { time, store, outbox: make(time.timer), logs, another: (opts = {}) => make(opts.timer ?? time.timer) };
}

/** A promise with its resolve and reject in hand. */
export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
