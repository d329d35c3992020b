/**
 * Live sessions follow the directory: when authSync changes a user (a demotion to `user`, a rename,
 * another department, a withdrawn e-mail) or tenantSync renames a tenant, the sessions are rewritten
 * from the directory before the webhook answers, and every instance drops its cached copy (pub/sub),
 * so forward-auth and the session API hand apps the new values at the next request, not after the
 * next login. Disabling, cancelling or deleting a user ends the sessions instead (revocation.ts).
 *
 * What the directory holds now is read by the login room (which may use the directory) and handed
 * in as `source`: this room does not know the directory.
 */
import type { DirectoryEvents } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';
import type { TenantFields, UserFields } from './identity-fields.js';
import type { SessionStore } from './session-store.js';

export interface IdentitySource {
  /** The user's fields as the directory holds them now; null when the user may no longer sign in. */
  user(tenantId: string, userName: string): Promise<UserFields | null>;
  /** The tenant's fields as the directory holds them now; null when the tenant is gone. */
  tenant(tenantId: string): Promise<TenantFields | null>;
}

export function refreshOnDirectoryChange(events: DirectoryEvents, sessions: SessionStore, source: IdentitySource, logger: Pick<Logger, 'info'>): () => void {
  return events.on(async (event) => {
    let rewritten = 0;
    let ended = 0;
    if (event.type === 'user.updated') {
      // An authSync of 500 users emits 500 events, most for users without a session: one read each.
      if (!(await sessions.hasUserSessions(event.tenantId, event.userName))) return;
      const fields = await source.user(event.tenantId, event.userName);
      // Read after the change was committed: a user no longer authorized is deprovisioned here too.
      if (fields === null) ended = await sessions.revokeUser(event.tenantId, event.userName);
      else rewritten = await sessions.rewriteUser(event.tenantId, event.userName, fields);
    } else if (event.type === 'tenant.updated') {
      const fields = await source.tenant(event.tenantId);
      if (fields !== null) rewritten = await sessions.rewriteTenant(event.tenantId, fields);
    } else {
      return;
    }
    if (rewritten + ended > 0) logger.info({ event: event.type, tenantId: event.tenantId, rewritten, ended }, 'sessions follow a directory change');
  });
}
