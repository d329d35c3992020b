/** applicationSync rules (spec §5.2): credentials sealed at rest, one app per bridge, events. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../../src/shared/errors.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { APP_ID, appSync, directoryFixture, tenantSync } from '../../support/directory.js';

describe('applicationSync', () => {
  it('an add makes the credentials available to login and emits credentials.changed added', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyTenantSync(tenantSync());
    expect(await directory.applyApplicationSync(appSync())).toEqual({ change: 'added' });
    expect(await directory.getCredentials('acme', APP_ID)).toEqual({
      tenantId: 'acme',
      domainName: 'https://acme.idp.example.com',
      appId: APP_ID,
      clientId: 'acme-client-id',
      clientSecret: 'acme-client-secret',
    });
    expect(events).toEqual([{ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'added' }]);
  });

  it('keeps the clientSecret only sealed in the store', async () => {
    const { directory, store, deps } = directoryFixture();
    await directory.applyApplicationSync(appSync());
    const raw = JSON.stringify(await store.hgetall(deps.keys.apps('acme')));
    expect(raw).not.toContain('acme-client-secret');
    expect(raw).toMatch(/v1\./);
  });

  it('the same credentials again are unchanged: no event', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyApplicationSync(appSync());
    events.length = 0;
    expect(await directory.applyApplicationSync(appSync())).toEqual({ change: 'unchanged' });
    expect(events).toEqual([]);
  });

  it.each([
    ['another clientSecret', { clientSecret: 'rotated-secret' }],
    ['another clientId', { clientId: 'acme-client-id-2' }],
    ['another testFlag', { testFlag: 1 as const }],
  ])('%s is a modification, with credentials.changed modified', async (_, over) => {
    const { directory, events } = directoryFixture();
    await directory.applyApplicationSync(appSync());
    events.length = 0;
    expect(await directory.applyApplicationSync(appSync({ flag: 2, ...over }))).toEqual({ change: 'modified' });
    expect(events).toEqual([{ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'modified' }]);
  });

  it('a stored secret that SECRET_KEYS can no longer open is replaced by the next sync', async () => {
    const store = createMemoryStore();
    const before = directoryFixture({ store });
    await before.directory.applyApplicationSync(appSync());
    const after = directoryFixture({ store, secretKeys: [randomBytes(32).toString('base64')] });
    expect(await after.directory.applyApplicationSync(appSync())).toEqual({ change: 'modified' });
    await after.directory.applyTenantSync(tenantSync());
    expect((await after.directory.getCredentials('acme', APP_ID))?.clientSecret).toBe('acme-client-secret');
  });

  it('a delete removes the credentials and emits credentials.changed deleted; deleting again answers absent', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyTenantSync(tenantSync());
    await directory.applyApplicationSync(appSync());
    events.length = 0;
    expect(await directory.applyApplicationSync(appSync({ flag: 0, clientId: null, clientSecret: null }))).toEqual({ change: 'deleted' });
    expect(await directory.getCredentials('acme', APP_ID)).toBeNull();
    expect(events).toEqual([{ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'deleted' }]);
    expect(await directory.applyApplicationSync(appSync({ flag: 0, clientId: null, clientSecret: null }))).toEqual({ change: 'absent' });
    expect(events).toHaveLength(1);
  });

  it('another appId than the one this bridge serves is refused with app_mismatch naming appId, and nothing is written', async () => {
    const { directory } = directoryFixture();
    const refused = directory.applyApplicationSync(appSync({ appId: 'someone-else' }));
    await expect(refused).rejects.toBeInstanceOf(KbError);
    await expect(refused).rejects.toMatchObject({ code: 'app_mismatch', details: { field: 'appId' }, message: expect.stringContaining('KOO_APP_ID') });
    expect(await directory.listApps('acme')).toEqual([]);
  });

  it('without a configured appId (development) any appId is accepted', async () => {
    const { directory } = directoryFixture({ appId: null });
    expect(await directory.applyApplicationSync(appSync({ appId: 'any-app' }))).toEqual({ change: 'added' });
  });

  it('login gets no credentials while the tenant, its domainName or the app is missing', async () => {
    const { directory } = directoryFixture();
    await directory.applyApplicationSync(appSync());
    expect(await directory.getCredentials('acme', APP_ID)).toBeNull(); // no tenantSync yet
    await directory.applyTenantSync(tenantSync({ domainName: null }));
    expect(await directory.getCredentials('acme', APP_ID)).toBeNull(); // no domainName
    await directory.applyTenantSync(tenantSync({ flag: 2 }));
    expect(await directory.getCredentials('acme', 'another-app')).toBeNull();
    expect(await directory.getCredentials('acme', APP_ID)).toMatchObject({ clientSecret: 'acme-client-secret' });
  });

  it('a stored secret that cannot be opened fails the login with internal, never with the secret', async () => {
    const store = createMemoryStore();
    const writer = directoryFixture({ store });
    await writer.directory.applyTenantSync(tenantSync());
    await writer.directory.applyApplicationSync(appSync());
    const reader = directoryFixture({ store, secretKeys: [randomBytes(32).toString('base64')] });
    const login = reader.directory.getCredentials('acme', APP_ID);
    await expect(login).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('SECRET_KEYS') });
    await expect(login).rejects.toMatchObject({ message: expect.not.stringContaining('acme-client-secret') });
  });

  it('listApps shows each app without its secret, saying whether the secret can be opened', async () => {
    const store = createMemoryStore();
    const writer = directoryFixture({ store, appId: null });
    await writer.directory.applyApplicationSync(appSync({ appId: 'b-app' }));
    await writer.directory.applyApplicationSync(appSync({ appId: 'a-app', testFlag: 1 }));
    const apps = await writer.directory.listApps('acme');
    expect(apps).toEqual([
      { appId: 'a-app', clientId: 'acme-client-id', test: true, updatedAt: expect.any(String), secretReadable: true },
      { appId: 'b-app', clientId: 'acme-client-id', test: false, updatedAt: expect.any(String), secretReadable: true },
    ]);
    expect(JSON.stringify(apps)).not.toContain('acme-client-secret');
    const other = directoryFixture({ store, appId: null, secretKeys: [randomBytes(32).toString('base64')] });
    expect((await other.directory.listApps('acme')).map((a) => a.secretReadable)).toEqual([false, false]);
  });
});
