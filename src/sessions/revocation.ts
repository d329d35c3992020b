/**
 * Deprovisioning takes effect at once: the directory's events end the affected sessions, so the
 * next request of a removed user is a 401. Runs inside the webhook that carried the change.
 */
import type { DirectoryEvent, DirectoryEvents } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';
import type { SessionStore } from './session-store.js';

export function revokeOnDeprovisioning(events: DirectoryEvents, sessions: SessionStore, logger: Pick<Logger, 'info'>): () => void {
  return events.on(async (event: DirectoryEvent) => {
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
    if (ended > 0) logger.info({ event: event.type, tenantId: event.tenantId, ended }, 'sessions ended by deprovisioning');
  });
}
