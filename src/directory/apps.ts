/**
 * Per-tenant app credentials (applicationSync, spec §5.2). The clientSecret arrives here already
 * decrypted from KooGallery's RSA envelope and is sealed at once with SECRET_KEYS; only the login
 * room ever opens it again, to call the tenant's token endpoint.
 */
import { KbError } from '../shared/errors.js';
import type { ApplicationSync } from '../koogallery/schemas.js';
import type { DirectoryDeps } from './deps.js';
import { pendingOps, settleRevocations, sweepOnFailure } from './revocations.js';
import { indexTenant, isoNow } from './deps.js';
import { parseRecord, type AppRecord } from './records.js';
import { getTenant } from './tenants.js';

/** applicationSync with the clientSecret in clear (decrypted by the produce room). */
export type DecryptedApplicationSync = Omit<ApplicationSync, 'clientSecret'> & { clientSecret: string | null };

const secretAad = (tenantId: string, appId: string) => `tenant:${tenantId}:app:${appId}:clientSecret`;

/** Refuses a sync for another app than the one this bridge serves: its data would never be used. */
export function assertOurApp(deps: DirectoryDeps, appId: string): void {
  const accepted = deps.appIds ?? (deps.appId === null ? [] : [deps.appId]);
  if (accepted.length > 0 && !accepted.includes(appId)) {
    throw new KbError(
      'app_mismatch',
      `appId ${JSON.stringify(appId)} is not the app this bridge serves (KOO_APP_ID); check KOO_APP_ID, then re-trigger the sync`,
      { details: { field: 'appId' } },
    );
  }
}

export async function applyApplicationSync(
  deps: DirectoryDeps,
  msg: DecryptedApplicationSync,
): Promise<{ change: 'added' | 'modified' | 'unchanged' | 'deleted' | 'absent' }> {
  assertOurApp(deps, msg.appId);
  const { store, keys } = deps;
  const key = keys.apps(msg.tenantId);
  const previous = parseRecord<AppRecord>(await store.hget(key, msg.appId));

  if (msg.flag === 0) {
    if (!previous) {
      // A repeat of a delete whose revocation failed completes it.
      await settleRevocations(deps, msg.tenantId);
      return { change: 'absent' };
    }
    const event = { type: 'credentials.changed', tenantId: msg.tenantId, appId: msg.appId, change: 'deleted' } as const;
    await sweepOnFailure(deps, msg.tenantId, async () => {
      await store.exec([{ op: 'hdel', key, fields: [msg.appId] }, ...pendingOps(deps, msg.tenantId, [event])]);
      await settleRevocations(deps, msg.tenantId);
    });
    return { change: 'deleted' };
  }

  // The schema guarantees both for flags 1 and 2.
  const clientId = msg.clientId!;
  const clientSecret = msg.clientSecret!;
  const test = msg.testFlag === 1;
  if (previous && previous.clientId === clientId && previous.test === test && openSecret(deps, msg.tenantId, previous) === clientSecret) {
    return { change: 'unchanged' };
  }
  const record: AppRecord = {
    appId: msg.appId,
    clientId,
    clientSecret: deps.secretBox.seal(clientSecret, secretAad(msg.tenantId, msg.appId)),
    instanceId: msg.instanceId || previous?.instanceId || '',
    test,
    updatedAt: isoNow(deps.clock),
  };
  await indexTenant(deps, msg.tenantId, test);
  await store.exec([{ op: 'hset', key, values: { [msg.appId]: JSON.stringify(record) } }]);
  const change = previous ? 'modified' : 'added';
  await deps.events.emit([{ type: 'credentials.changed', tenantId: msg.tenantId, appId: msg.appId, change }]);
  return { change };
}

/** The stored secret, or null when it cannot be opened (e.g. SECRET_KEYS lost a key). */
export function openSecret(deps: DirectoryDeps, tenantId: string, record: AppRecord): string | null {
  try {
    return deps.secretBox.open(record.clientSecret, secretAad(tenantId, record.appId));
  } catch {
    return null;
  }
}

/** What the admin API may show of an app credential: never the secret. */
export interface AppSummary {
  appId: string;
  clientId: string;
  test: boolean;
  updatedAt: string;
  /** False when the stored secret cannot be opened with the current SECRET_KEYS. */
  secretReadable: boolean;
}

export async function listApps(deps: DirectoryDeps, tenantId: string): Promise<AppSummary[]> {
  const all = await deps.store.hgetall(deps.keys.apps(tenantId));
  return Object.values(all)
    .map((raw) => parseRecord<AppRecord>(raw))
    .filter((r): r is AppRecord => r !== null)
    .map((r) => ({ appId: r.appId, clientId: r.clientId, test: r.test, updatedAt: r.updatedAt, secretReadable: openSecret(deps, tenantId, r) !== null }))
    .sort((a, b) => a.appId.localeCompare(b.appId));
}

/** Everything a login needs to talk to the tenant's IdP, or null when something is missing. */
export interface TenantCredentials {
  tenantId: string;
  domainName: string;
  appId: string;
  clientId: string;
  clientSecret: string;
}

export async function getCredentials(deps: DirectoryDeps, tenantId: string, appId: string): Promise<TenantCredentials | null> {
  const [tenant, raw] = await Promise.all([getTenant(deps, tenantId), deps.store.hget(deps.keys.apps(tenantId), appId)]);
  const record = parseRecord<AppRecord>(raw);
  if (!tenant || !tenant.domainName || !record) return null;
  const clientSecret = openSecret(deps, tenantId, record);
  if (clientSecret === null) throw new KbError('internal', `stored clientSecret of tenant ${tenantId} cannot be decrypted with SECRET_KEYS`);
  return { tenantId, domainName: tenant.domainName, appId, clientId: record.clientId, clientSecret };
}
