/**
 * A short-lived, in-process cache of session records, so the hot path (/auth/check, /api/session)
 * usually needs no store round trip.
 *
 * It must never let a revoked session through: every end of a session is broadcast over the
 * store's pub/sub and drops the entry on every instance; while the subscription is down nothing is
 * served from the cache, and after a reconnect (messages may have been missed) it starts empty.
 * The entry lifetime only bounds memory and the window of a message lost without a reconnect.
 */
import type { Store } from '../store/types.js';
import type { SessionRecord } from './types.js';

export const SESSION_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 100_000; // ~1 KB each: bounded at about 100 MB in the worst case
const HASHES_PER_MESSAGE = 200;

export function createSessionCache(deps: { store: Store; channel: string }) {
  const entries = new Map<string, { record: SessionRecord; until: number }>();
  // Counts invalidations seen. A record read from the store is cached only if none arrived while
  // it was being read: otherwise the read may predate a revocation whose message came first.
  let generation = 0;
  const subscription = deps.store.subscribe(
    deps.channel,
    (message) => {
      generation += 1;
      for (const sidHash of message.split(',')) entries.delete(sidHash);
    },
    () => {
      generation += 1;
      entries.clear();
    },
  );

  return {
    get(sidHash: string, now: number): SessionRecord | undefined {
      if (!subscription.live) return undefined;
      const entry = entries.get(sidHash);
      if (!entry) return undefined;
      if (entry.until <= now) {
        entries.delete(sidHash);
        return undefined;
      }
      return entry.record;
    },

    /** Call before reading from the store; pass the value to `set`. */
    generation: () => generation,

    set(record: SessionRecord, now: number, readAtGeneration: number): void {
      if (!subscription.live || readAtGeneration !== generation) return;
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(record.sidHash, { record, until: now + SESSION_CACHE_TTL_MS });
    },

    /** Drops the sessions here and on every other instance. */
    async invalidate(sidHashes: string[]): Promise<void> {
      generation += 1;
      for (const sidHash of sidHashes) entries.delete(sidHash);
      for (let i = 0; i < sidHashes.length; i += HASHES_PER_MESSAGE) {
        await deps.store.publish(deps.channel, sidHashes.slice(i, i + HASHES_PER_MESSAGE).join(','));
      }
    },

    /** Forgets every entry here (a revocation failed: its sessions are unknown). */
    dropLocal(): void {
      generation += 1;
      entries.clear();
    },

    close: () => subscription.close(),
  };
}

export type SessionCache = ReturnType<typeof createSessionCache>;
