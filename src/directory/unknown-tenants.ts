/**
 * A short memory of tenant ids the directory does not hold, so a login naming an unknown tenant
 * (`/sso/login?tenant=…`, a callback, an OpenID tenant hint, a mistyped bookmark or someone trying
 * ids) costs no store reads when it comes again.
 *
 * Bounded in size and time: at most MAX_ENTRIES ids (the oldest go first), each for TTL_MS. A
 * tenantSync that makes the tenant forgets it here at once, and on every other instance through the
 * store's pub/sub; while that subscription is down nothing is served from here, and after a
 * reconnect (messages may have been missed) it starts empty. A lost message costs at most TTL_MS.
 */
import type { Store } from '../store/types.js';

// Long enough to absorb a burst of retries, short enough that a tenant whose creation message was
// lost is found within half a minute anyway.
export const UNKNOWN_TENANT_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000; // ~100 bytes each: about 1 MB at most

export function createUnknownTenants(deps: { store: Store; channel: string; now: () => number; ttlMs?: number; maxEntries?: number }) {
  const ttlMs = deps.ttlMs ?? UNKNOWN_TENANT_TTL_MS;
  const maxEntries = deps.maxEntries ?? MAX_ENTRIES;
  const until = new Map<string, number>(); // insertion order: the first entry is the oldest
  // Counts tenants forgotten. A miss read from the store is remembered only if none was forgotten
  // while it was being read: otherwise the read may predate a creation whose message came first.
  let generation = 0;
  const forgetHere = (tenantId: string) => {
    generation += 1;
    until.delete(tenantId);
  };
  const subscription = deps.store.subscribe(deps.channel, forgetHere, () => {
    generation += 1;
    until.clear();
  });

  return {
    /** True when the tenant was found unknown less than the TTL ago (and nothing made it since). */
    has(tenantId: string): boolean {
      if (!subscription.live) return false;
      const expires = until.get(tenantId);
      if (expires === undefined) return false;
      if (expires > deps.now()) return true;
      until.delete(tenantId);
      return false;
    },

    /** Call before reading from the store; pass the value to `remember`. */
    generation: () => generation,

    remember(tenantId: string, readAtGeneration: number): void {
      if (!subscription.live || readAtGeneration !== generation) return;
      until.delete(tenantId); // re-inserted last: it is now the newest
      if (until.size >= maxEntries) until.delete(until.keys().next().value!);
      until.set(tenantId, deps.now() + ttlMs);
    },

    /** The tenant exists now: forget it here and on every other instance. */
    async forget(tenantId: string): Promise<void> {
      forgetHere(tenantId);
      await deps.store.publish(deps.channel, tenantId);
    },

    close: () => subscription.close(),
  };
}

export type UnknownTenants = ReturnType<typeof createUnknownTenants>;
