/**
 * Listing live sessions for operators, on the memory store with a fake clock: the idle deadline and
 * "last seen" read back from the key's TTL, ended sessions skipped, and one session ended by its hash.
 */
import { describe, expect, it } from 'vitest';
import { createSessionListing } from '../../../src/sessions/session-listing.js';
import { ABSOLUTE_MS, IDLE_MS, identity, sessionsFixture, upstream } from '../../support/sessions.js';

function fixture() {
  const f = sessionsFixture();
  const listing = createSessionListing({ store: f.store, keys: f.keys, clock: f.clock, sessions: f.sessions, idleTimeoutMs: IDLE_MS });
  return { ...f, listing };
}

describe('session listing', () => {
  it('gives each session its idle deadline and when it was last used', async () => {
    const { sessions, listing, clock } = fixture();
    const start = clock.now();
    const { sid, record } = await sessions.create(identity('zhang.san'), 'oauth2', upstream(start));
    clock.advance(10 * 60_000);
    await sessions.get(sid); // used: the idle deadline moves
    const used = clock.now();
    clock.advance(5 * 60_000);
    const [listed] = await listing.listTenant('acme');
    expect(listed).toEqual({ record: expect.objectContaining({ sidHash: record.sidHash, userName: 'zhang.san' }), idleExpiresAt: used + IDLE_MS, lastSeenAt: used });
  });

  it('says nothing of last use once the absolute deadline is nearer than a full idle period', async () => {
    const { sessions, listing, clock } = fixture();
    const start = clock.now();
    const { sid } = await sessions.create(identity('zhang.san'), 'cas', null);
    // Used every 20 minutes until half an idle period before its absolute end.
    while (clock.now() + 20 * 60_000 <= start + ABSOLUTE_MS - IDLE_MS / 2) {
      clock.advance(20 * 60_000);
      expect(await sessions.get(sid)).not.toBeNull();
    }
    const [listed] = await listing.listTenant('acme');
    expect(listed!.lastSeenAt).toBeNull();
    expect(listed!.idleExpiresAt).toBe(listed!.record.absoluteExpiresAt);
  });

  it('lists newest first per tenant and per user, skipping ended sessions and other tenants', async () => {
    const { sessions, listing, clock } = fixture();
    const a = await sessions.create(identity('zhang.san'), 'oauth2', null);
    clock.advance(1000);
    const b = await sessions.create(identity('li.si'), 'oauth2', null);
    clock.advance(1000);
    const c = await sessions.create(identity('zhang.san'), 'cas', null);
    await sessions.create(identity('zhao.liu', 'globex'), 'oauth2', null);
    await sessions.destroy(a.record);
    expect((await listing.listTenant('acme')).map((s) => s.record.sidHash)).toEqual([c.record.sidHash, b.record.sidHash]);
    expect((await listing.listUser('acme', 'zhang.san')).map((s) => s.record.sidHash)).toEqual([c.record.sidHash]);
  });

  it('ends one session by its hash, only within its tenant', async () => {
    const { sessions, listing } = fixture();
    const { sid, record } = await sessions.create(identity('zhang.san'), 'oauth2', null);
    expect(await listing.revokeOne('globex', record.sidHash)).toBe(false);
    expect(await sessions.get(sid)).not.toBeNull();
    expect(await listing.revokeOne('acme', record.sidHash)).toBe(true);
    expect(await sessions.get(sid)).toBeNull();
    expect(await listing.revokeOne('acme', record.sidHash)).toBe(false);
  });
});
