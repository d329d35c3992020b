/**
 * Change events of the directory. Later rooms (sessions, OIDC) subscribe to end sessions and
 * revoke grants the moment KooGallery deprovisions someone. Listeners run after the change is
 * committed; they are awaited (so a webhook answers after sessions are ended) and a failing
 * listener is logged, never allowed to fail the sync that KooGallery sent.
 */
import type { DirectoryEvents, DirectoryListener } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';

export function createDirectoryEvents(logger: Pick<Logger, 'error'>): DirectoryEvents {
  const listeners = new Set<DirectoryListener>();
  return {
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async emit(events) {
      for (const event of events) {
        for (const listener of listeners) {
          try {
            await listener(event);
          } catch (err) {
            logger.error({ err, event: event.type, tenantId: event.tenantId }, 'directory listener failed');
          }
        }
      }
    },
  };
}
