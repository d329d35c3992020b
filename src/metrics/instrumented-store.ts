/**
 * The store as every room sees it, with each command's duration and failures recorded. It sits on
 * every request (a session read is a store command), so it does the least possible: one clock read
 * before and after, one observation on a bucket array made once per command (command-timings.ts:
 * no label checks or hashing per call), and a counter only when a command fails.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../store/types.js';
import type { MetricSet } from './registry.js';

type AsyncCommand = { [K in keyof Store]: Store[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof Store];

const COMMANDS = [
  'get', 'take', 'setIfAbsent', 'replaceIfExists', 'delIfEquals', 'compareAndSet', 'hget', 'hmget', 'hgetall', 'hlen', 'smembers', 'scard',
  'zrangeByLex', 'zcard', 'zrangeByScore', 'claimByScore', 'pttl', 'exec', 'execIfScore', 'applyVersioned', 'xadd', 'xrevrange', 'publish', 'ping',
] as const satisfies readonly AsyncCommand[];
// Checked by the compiler: a command added to Store and not listed here would go unmeasured.
type AssertTrue<T extends true> = T;
export type EveryCommandListed = AssertTrue<[Exclude<AsyncCommand, (typeof COMMANDS)[number] | 'close'>] extends [never] ? true : false>;

export function instrumentStore(store: Store, m: Pick<MetricSet, 'storeDuration' | 'storeErrors'>): Store {
  const wrapped: Record<string, unknown> = {};
  for (const command of COMMANDS) {
    const original = (store[command] as (...args: unknown[]) => Promise<unknown>).bind(store);
    const observe = m.storeDuration.child(command);
    const errors = m.storeErrors.labels(command);
    errors.inc(0); // the series exists from the start, so rate() sees the first failure
    wrapped[command] = async (...args: unknown[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } catch (err) {
        errors.inc();
        throw err;
      } finally {
        observe((performance.now() - started) / 1000);
      }
    };
  }
  return {
    ...(wrapped as Pick<Store, (typeof COMMANDS)[number]>),
    kind: store.kind,
    subscribe: (channel, onMessage, onReset) => store.subscribe(channel, onMessage, onReset),
    close: () => store.close(),
  };
}
