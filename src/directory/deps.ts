import type { Clock } from '../shared/clock.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import type { DirectoryEvents } from '../shared/directory-events.js';
import type { JobQueue } from '../shared/jobs.js';

/** What every part of the directory is built from. */
export interface DirectoryDeps {
  store: Store;
  keys: Keys;
  secretBox: SecretBox;
  events: DirectoryEvents;
  clock: Clock;
  /** The app this bridge serves (the first KOO_APP_ID); null accepts any appId (development only). */
  appId: string | null;
  /**
   * Every appId whose syncs are accepted (KOO_APP_ID); the first is `appId`. The others (a second,
   * test credential during interface debugging) are stored but never used for a login.
   */
  appIds?: readonly string[];
  /** The durable outbox, for the job that completes revocations left pending (revocations.ts). */
  jobs?: JobQueue;
  /**
   * Told when a deprovisioning write or its revocation failed, so its outcome is unknown: the
   * sessions' in-process cache forgets everything (a cached session is not checked for pending
   * revocations; one read from the store is).
   */
  onRevocationUncertain?: () => void;
}

/** Puts the tenant in the global index (and the test index) before its data is written. */
export async function indexTenant(deps: DirectoryDeps, tenantId: string, test: boolean): Promise<void> {
  // The index lives in another cluster slot than the tenant's keys, so it cannot be written in the
  // same transaction; it is written first and is advisory (listing skips ids that hold no data).
  await deps.store.exec([{ op: 'zadd', key: deps.keys.tenantIndex(), members: [tenantId] }]);
  if (test) await deps.store.exec([{ op: 'sadd', key: deps.keys.testTenants(), members: [tenantId] }]);
}

export { isoNow } from '../shared/clock.js';
