/**
 * Deprovisioning reaches the apps: when KooGallery removes a user (deleted, cancelled, disabled,
 * tenant removed, credentials removed), every OpenID session of the account receives back-channel
 * logout at each client that registered a backchannel_logout_uri (all at once, so a slow or
 * failing client delays no other), and every grant is revoked with all its tokens.
 */
import type Provider from 'oidc-provider';
import type { DirectoryEvent, DirectoryEvents } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { accountIdOf, parseAccountId } from './account.js';

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

export function createOidcRevocation(deps: { provider: Provider; adapter: (model: string) => ModelAccess; store: Store; keys: Keys; logger: Pick<Logger, 'info' | 'warn'> }) {
  const { provider, store, keys } = deps;

  async function backchannel(accountId: string, session: SessionPayload): Promise<void> {
    const sends = Object.entries(session.authorizations ?? {}).map(async ([clientId, { sid }]) => {
      const client = await provider.Client.find(clientId);
      if (!client?.backchannelLogoutUri || !sid) return;
      try {
        await (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> }).backchannelLogout(accountId, sid);
      } catch (err) {
        deps.logger.warn({ clientId, err: (err as Error).message }, 'back-channel logout failed');
      }
    });
    await Promise.all(sends);
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
        if (payload) {
          await backchannel(accountId, payload);
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
    for (const accountId of await store.smembers(keys.oidcTenantAccounts(tenantId))) await revokeAccount(accountId);
    await store.exec([{ op: 'del', key: keys.oidcTenantAccounts(tenantId) }]);
  }

  return {
    revokeAccount,
    revokeTenant,
    subscribe(events: DirectoryEvents): () => void {
      return events.on(async (event: DirectoryEvent) => {
        if (event.type === 'user.deprovisioned') await revokeAccount(accountIdOf(event.tenantId, event.userName));
        else if (event.type === 'tenant.removed') await revokeTenant(event.tenantId);
        else if (event.type === 'credentials.changed' && (event.change === 'deleted' || event.change === 'purged')) await revokeTenant(event.tenantId);
      });
    },
  };
}
