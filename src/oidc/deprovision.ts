/**
 * Deprovisioning reaches the apps: when KooGallery removes a user (deleted, cancelled, disabled,
 * tenant removed, credentials removed), every OpenID session of the account ends and every grant
 * is revoked with all its tokens before the webhook answers. Each client of a session that
 * registered a backchannel_logout_uri is told through the outbox: one job per (client, sid),
 * sent after the answer, in parallel and retried (backchannel-job.ts), so a slow app delays nothing.
 */
import { forEachLimited, REVOCATION_CONCURRENCY } from '../shared/concurrency.js';
import type Provider from 'oidc-provider';
import type { DirectoryEvent, DirectoryEvents } from '../shared/directory-events.js';
import type { JobQueue } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { accountIdOf, parseAccountId } from './account.js';
import { BACKCHANNEL_LOGOUT_JOB, type BackchannelLogoutPayload } from './backchannel-job.js';

interface SessionPayload {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

/** The slice of the store adapter this module needs (src/oidc/adapter.ts). */
export interface ModelAccess {
  find(id: string): Promise<unknown>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

export function createOidcRevocation(deps: {
  /** The provider in use now (it is rebuilt when the signing keys change). */
  provider: () => Provider;
  adapter: (model: string) => ModelAccess;
  store: Store;
  keys: Keys;
  jobs: JobQueue;
  logger: Pick<Logger, 'info' | 'warn'>;
}) {
  const { provider, store, keys } = deps;

  /** One back-channel logout job per client of the session that has a backchannel_logout_uri. */
  async function enqueueBackchannel(accountId: string, session: SessionPayload): Promise<void> {
    const enqueues = Object.entries(session.authorizations ?? {}).map(async ([clientId, { sid }]) => {
      const client = await provider().Client.find(clientId);
      if (!client?.backchannelLogoutUri || !sid) return;
      const payload: BackchannelLogoutPayload = { clientId, accountId, sid };
      // Deduplicated: a webhook KooGallery repeats does not notify an app twice while one is pending.
      await deps.jobs.enqueue(BACKCHANNEL_LOGOUT_JOB, payload, { dedupeKey: `${clientId} ${sid}` });
    });
    await Promise.all(enqueues);
  }

  async function revokeAccount(accountId: string): Promise<number> {
    const refs = await store.smembers(keys.oidcAccount(parseAccountId(accountId)!.tenantId, accountId));
    const sessions = deps.adapter('Session');
    const grants = deps.adapter('Grant');
    let ended = 0;
    for (const ref of refs) {
      const [model, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
      if (model === 'Session') {
        const payload = (await sessions.find(id)) as SessionPayload | undefined;
        // Enqueued before the session goes: a crash in between leaves the session to a repeated
        // webhook (which enqueues again, deduplicated), never an ended session nobody was told of.
        if (payload) {
          await enqueueBackchannel(accountId, payload);
          ended += 1;
        }
        await sessions.destroy(id);
      } else if (model === 'Grant') {
        // Revoking by grant id removes every code, access and refresh token issued under it.
        await grants.revokeByGrantId(id);
        await grants.destroy(id);
      }
    }
    await store.exec([{ op: 'del', key: keys.oidcAccount(parseAccountId(accountId)!.tenantId, accountId) }]);
    if (refs.length > 0) deps.logger.info({ sessions: ended, refs: refs.length }, 'OpenID sessions and grants revoked by deprovisioning');
    return ended;
  }

  async function revokeTenant(tenantId: string): Promise<void> {
    await forEachLimited(await store.smembers(keys.oidcTenantAccounts(tenantId)), REVOCATION_CONCURRENCY, async (accountId) => {
      await revokeAccount(accountId);
    });
    await store.exec([{ op: 'del', key: keys.oidcTenantAccounts(tenantId) }]);
  }

  return {
    revokeAccount,
    revokeTenant,
    subscribe(events: DirectoryEvents): () => void {
      return events.on(async (event: DirectoryEvent) => {
        if (event.type === 'user.deprovisioned') await revokeAccount(accountIdOf(event.tenantId, event.userName));
        else if (event.type === 'tenant.removed' || event.type === 'tenant.suspended') await revokeTenant(event.tenantId);
        else if (event.type === 'credentials.changed' && (event.change === 'deleted' || event.change === 'purged')) await revokeTenant(event.tenantId);
      });
    },
  };
}
