/** What the parts of the store conformance suite share. */
import type { Store } from '../../src/store/types.js';

export interface ConformanceContext {
  /** The store under test (one per backend, shared by the tests of the suite). */
  store(): Store;
  /** A key unique to the running test, in the test's hash-tag slot. */
  k(name: string): string;
  makeStore(): Promise<Store>;
  /**
   * Lets `ms` pass for the store's TTLs: a fake clock moved forward for the memory store, a real
   * (short) wait for a Redis server, whose clock no test can move.
   */
  elapse(ms: number): Promise<void>;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** UTF-8 byte order, the order Redis sorts lexicographic members in. */
export const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
