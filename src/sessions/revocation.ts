/**
 * Deprovisioning takes effect at once: the directory's events end the affected sessions, so the
 * next request of a removed user is a 401. Runs inside the webhook that carried the change (or when
 * a pending revocation is completed later); a failure fails the webhook (000005).
 */
import type { DirectoryEvent, DirectoryEvents } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import type { SessionStore } from './session-store.js';

export function revokeOnDeprovisioning(events: DirectoryEvents, sessions: SessionStore, logger: Pick<Logger, 'info'>, observations: Observations = NO_OBSERVATIONS): () => void {
  return events.on(async (event: DirectoryEvent) => {
    try {
      await revoke(event);
    } catch (err) {
      // Which sessions were concerned is unknown: none of this instance's cached ones is served
      // until read again from the store (where the pending revocation is checked).
      sessions.dropCached();
      throw err;
    }
  });

  async function revoke(event: DirectoryEvent): Promise<void> {
    let ended = 0;
    switch (event.type) {
      case 'user.deprovisioned':
        ended = await sessions.revokeUser(event.tenantId, event.userName);
        break;
      case 'tenant.removed':
      case 'tenant.suspended':
        ended = await sessions.revokeTenant(event.tenantId);
        break;
      case 'credentials.changed':
        // Without credentials the tenant's sessions can no longer be renewed or trusted.
        if (event.change === 'deleted' || event.change === 'purged') ended = await sessions.revokeTenant(event.tenantId);
        break;
      default:
        return;
    }
    if (ended > 0) {
      logger.info({ event: event.type, tenantId: event.tenantId, ended }, 'sessions ended by deprovisioning');
      const userName = event.type === 'user.deprovisioned' ? event.userName : undefined;
      observations.emit({ kind: 'session_end', cause: 'deprovisioned', tenantId: event.tenantId, ...(userName ? { userName } : {}), count: ended, reason: event.type });
    }
  }
}
