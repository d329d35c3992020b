/**
 * Change events of the directory. Later rooms (sessions, OIDC) subscribe to end sessions and
 * revoke grants the moment KooGallery deprovisions someone. Listeners run after the change is
 * committed; they are awaited (so a webhook answers after sessions are ended) and a failing
 * listener is logged, never allowed to fail the sync that KooGallery sent.
 */
import type { DirectoryEvents, DirectoryListener } from '../shared/directory-events.js';
import { forEachLimited, REVOCATION_CONCURRENCY } from '../shared/concurrency.js';
import type { Logger } from '../shared/logger.js';

export function createDirectoryEvents(logger: Pick<Logger, 'error'>): DirectoryEvents {
  const listeners = new Set<DirectoryListener>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async emit(events) {
      // One event's listeners run in order; different events (500 users of one authSync) run side by
      // side, a bounded number at a time, so deprovisioning a whole list answers within KooGallery's 5 s.
      await forEachLimited(events, REVOCATION_CONCURRENCY, async (event) => {
        for (const listener of listeners) {
          try {
            await listener(event);
          } catch (err) {
            logger.error({ err, event: event.type, tenantId: event.tenantId }, 'directory listener failed');
          }
        }
      });
    },
  };
}
