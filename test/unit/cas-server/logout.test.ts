import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SINGLE_LOGOUT_JOB } from '../../../src/cas-server/single-logout-job.js';
import { APP, casFixture, ticketFor, type CasFixture } from './fixture.js';

describe('/cas/logout and single logout on deprovisioning', () => {
  let f: CasFixture;
  beforeEach(async () => {
    f = await casFixture();
  });
  afterEach(() => f.close());

  it('ends the session, enqueues one single-logout job per ticket of that session (none for a service without it), and goes through the IdP logout back to a registered service', async () => {
    const { cookie, record } = await f.signIn();
    await ticketFor(f, cookie, `${APP}/a`);
    await ticketFor(f, cookie, `${APP}/b`);
    await ticketFor(f, cookie, 'https://quiet.example.com/');
    const other = await f.signIn();
    await ticketFor(f, other.cookie, `${APP}/a`);

    const res = await f.get(`/cas/logout?service=${encodeURIComponent(`${APP}/bye`)}`, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`https://idp.example.com/logout?redirect_url=${encodeURIComponent(`${APP}/bye`)}`);
    expect(await f.sessions.readStored(record.sidHash)).toBeNull();
    expect(f.enqueued.map((j) => j.kind)).toEqual([SINGLE_LOGOUT_JOB, SINGLE_LOGOUT_JOB]);
    expect(f.enqueued.every((j) => j.dedupeKey!.startsWith(`${record.sidHash} `))).toBe(true);
    // Payloads hold identifiers and a sealed record, never the ticket in the clear.
    expect(JSON.stringify(f.enqueued)).not.toMatch(/ST-[0-9a-f]{64}/);
    expect(f.observations).toContainEqual(expect.objectContaining({ kind: 'session_end', cause: 'logout', tenantId: 'acme', count: 1 }));
  });

  it('an unregistered service is not returned to: the signed-out page instead', async () => {
    const { cookie } = await f.signIn();
    const res = await f.get(`/cas/logout?service=${encodeURIComponent('https://evil.example/')}`, cookie);
    expect(res.headers.get('location')).toBe(`https://idp.example.com/logout?redirect_url=${encodeURIComponent(`${f.url}/sso/logged-out`)}`);
    expect((await f.get('/cas/logout?service=https%3A%2F%2Fevil.example%2F')).headers.get('location')).toBe(`${f.url}/sso/logged-out`);
  });

  it('refuses an image or a script of another site (Fetch Metadata), and the session stays', async () => {
    const { cookie, record } = await f.signIn();
    const res = await f.get('/cas/logout', cookie, { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' });
    expect(res.status).toBe(403);
    expect(await f.sessions.readStored(record.sidHash)).not.toBeNull();
  });

  it('user.deprovisioned enqueues single logout for every session of the user; tenant events for every user of the tenant; each once', async () => {
    const a = await f.signIn('zhang.san');
    const b = await f.signIn('zhang.san');
    const c = await f.signIn('li.si');
    for (const s of [a, b, c]) await ticketFor(f, s.cookie, `${APP}/x`);
    await f.emit({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'zhang.san', reason: 'cancelled' });
    expect(f.enqueued).toHaveLength(2);
    await f.emit({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'zhang.san', reason: 'cancelled' });
    expect(f.enqueued).toHaveLength(2);
    await f.emit({ type: 'tenant.suspended', tenantId: 'acme', reason: 'frozen' });
    expect(f.enqueued).toHaveLength(3);
    expect(f.enqueued[2]!.dedupeKey!.startsWith(`${c.record.sidHash} `)).toBe(true);
  });

  it('credentials removed and tenant removed reach the CAS apps too; a credentials change that keeps them does not', async () => {
    const a = await f.signIn();
    await ticketFor(f, a.cookie, `${APP}/x`);
    await f.emit({ type: 'credentials.changed', tenantId: 'acme', appId: 'app', change: 'modified' });
    expect(f.enqueued).toHaveLength(0);
    await f.emit({ type: 'credentials.changed', tenantId: 'acme', appId: 'app', change: 'deleted' });
    expect(f.enqueued).toHaveLength(1);
    const b = await f.signIn();
    await ticketFor(f, b.cookie, `${APP}/x`);
    await f.emit({ type: 'tenant.removed', tenantId: 'acme', reason: 'deleted' });
    expect(f.enqueued).toHaveLength(2);
  });
});
