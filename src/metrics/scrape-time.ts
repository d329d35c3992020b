/**
 * What is measured when Prometheus scrapes, not on requests: whether the store answers, and how many
 * sessions there are. Both read the store, so each is bounded: one ping, and at most
 * MAX_TENANTS_PER_SCRAPE tenants whose session index is counted with SCARD (no member is read).
 *
 * The count is approximate by design: a tenant's session index (sessions/session-store.ts) loses a
 * member when the session is logged out or revoked, but a session that expired idle stays in it
 * until the index itself expires (its TTL is pushed forward by each login). Good enough to see a
 * trend or a sudden drop; the admin API lists exact sessions.
 */
import { forEachLimited } from '../shared/concurrency.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { Gauge, type Registry } from 'prom-client';

// 1000 SCARDs take a few milliseconds on Redis; more tenants than that are counted up to the bound
// and the truncation is reported, rather than letting a scrape's cost grow with the customer base.
export const MAX_TENANTS_PER_SCRAPE = 1000;
const SCRAPE_CONCURRENCY = 16;

export function measureAtScrape(registry: Registry, deps: { store: Store; keys: Keys; tenantLabels: boolean; maxTenants?: number }): void {
  const { store, keys } = deps;
  const maxTenants = deps.maxTenants ?? MAX_TENANTS_PER_SCRAPE;
  const registers = [registry];

  new Gauge({
    name: 'koobridge_store_up',
    help: '1 when the store answered a ping at scrape time, 0 when not',
    registers,
    async collect() {
      try {
        await store.ping();
        this.set(1);
      } catch {
        this.set(0);
      }
    },
  });

  const truncated = new Gauge({ name: 'koobridge_sessions_active_truncated', help: '1 when koobridge_sessions_active counted only the first tenants (bounded work per scrape)', registers });
  new Gauge({
    name: 'koobridge_sessions_active',
    help: 'Bridge sessions in the per-tenant session indexes (approximate: idle-expired sessions count until their index expires)',
    labelNames: deps.tenantLabels ? ['tenant'] : [],
    registers,
    async collect() {
      let tenants: string[];
      try {
        tenants = await store.zrangeByLex(keys.tenantIndex(), { limit: maxTenants + 1 });
      } catch {
        return; // store down: the last count stays rather than a false drop to zero (koobridge_store_up says why)
      }
      this.reset();
      truncated.set(tenants.length > maxTenants ? 1 : 0);
      tenants = tenants.slice(0, maxTenants);
      let total = 0;
      await forEachLimited(tenants, SCRAPE_CONCURRENCY, async (tenantId) => {
        const count = await store.scard(keys.tenantSessions(tenantId)).catch(() => 0);
        total += count;
        if (deps.tenantLabels && count > 0) this.set({ tenant: tenantId }, count);
      });
      if (!deps.tenantLabels) this.set(total);
    },
  });
}
