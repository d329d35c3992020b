/**
 * A directory built from its factory on the memory store and a fake clock, no HTTP: what the
 * directory and sessions unit tests start from. Messages are the normalized shapes the schemas
 * produce (schemas-types.ts), with made-up data.
 */
import { randomBytes } from 'node:crypto';
import type { DecryptedApplicationSync } from '../../src/directory/apps.js';
import { createDirectory } from '../../src/directory/directory.js';
import type { DirectoryDeps } from '../../src/directory/deps.js';
import { createDirectoryEvents } from '../../src/directory/events.js';
import type { DirectoryEvent } from '../../src/shared/directory-events.js';
import type { AllOrgSync, AuthSync, SingleOrgSync, SyncUser, TenantSync } from '../../src/koogallery/schemas.js';
import { createKeys } from '../../src/store/keys.js';
import { createMemoryStore, type MemoryStore } from '../../src/store/memory.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import { fakeClock, type FakeClock } from './time.js';

export const APP_ID = 'app-koobridge-unit';

export interface DirectoryFixture {
  directory: ReturnType<typeof createDirectory>;
  deps: DirectoryDeps;
  store: MemoryStore;
  clock: FakeClock;
  /** Every event emitted, in order. */
  events: DirectoryEvent[];
  /** What the events room logged about failing listeners. */
  listenerErrors: unknown[];
}

export function directoryFixture(opts: { appId?: string | null; secretKeys?: string[]; store?: MemoryStore; clock?: FakeClock } = {}): DirectoryFixture {
  const clock = opts.clock ?? fakeClock();
  const store = opts.store ?? createMemoryStore({ now: clock.now });
  const listenerErrors: unknown[] = [];
  const events = createDirectoryEvents({ error: (obj: unknown) => void listenerErrors.push(obj) } as never);
  const deps: DirectoryDeps = {
    store,
    keys: createKeys('unit:'),
    secretBox: createSecretBox(opts.secretKeys ?? [randomBytes(32).toString('base64')]),
    events,
    clock,
    appId: opts.appId === undefined ? APP_ID : opts.appId,
  };
  const recorded: DirectoryEvent[] = [];
  events.on((e) => void recorded.push(e));
  return { directory: createDirectory(deps), deps, store, clock, events: recorded, listenerErrors };
}

const common = { instanceId: 'inst-acme-001', orderId: 'CS2611210001ACME', testFlag: 0 as const, timeStamp: '20261121093539534' };

export const tenantSync = (over: Partial<TenantSync> = {}): TenantSync => ({
  ...common,
  tenantId: 'acme',
  flag: 1,
  tenantCode: 'acme',
  name: 'Acme Trading Co.',
  domainName: 'https://acme.idp.example.com',
  ...over,
});

export const appSync = (over: Partial<DecryptedApplicationSync> = {}): DecryptedApplicationSync => ({
  ...common,
  tenantId: 'acme',
  appId: APP_ID,
  flag: 1,
  clientId: 'acme-client-id',
  clientSecret: 'acme-client-secret',
  ...over,
});

export const syncUser = (userName: string, over: Partial<SyncUser> = {}): SyncUser => ({
  userName,
  name: `Name of ${userName}`,
  orgCode: 'sales',
  role: 'user',
  enable: true,
  ...over,
});

/** Only the userName, as a delete or a cancellation may carry it. */
export const bareUser = (userName: string): SyncUser => ({ userName, name: null, orgCode: null, role: null, enable: null });

export const authSync = (userList: SyncUser[], over: Partial<AuthSync> = {}): AuthSync => ({
  ...common,
  tenantId: 'acme',
  appId: APP_ID,
  flag: 1,
  currentSyncTime: '20261121100000000',
  userList,
  ...over,
});

export const singleOrgSync = (over: Partial<SingleOrgSync> = {}): SingleOrgSync => ({
  ...common,
  tenantId: 'acme',
  flag: 1,
  orgCode: 'sales',
  orgName: 'Sales',
  parentCode: '',
  ...over,
});

export const allOrgSync = (orgInfoList: AllOrgSync['orgInfoList'], over: Partial<AllOrgSync> = {}): AllOrgSync => ({
  ...common,
  tenantId: 'acme',
  orgInfoList,
  ...over,
});
