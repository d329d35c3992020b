/**
 * Change events of the directory. Later rooms (sessions, OIDC) subscribe to end sessions and
 * revoke grants the moment KooGallery deprovisions someone. Listeners run after the change is
 * committed; they are awaited (so a webhook answers after sessions are ended) and a failing
 * listener is logged, never allowed to fail the sync that KooGallery sent.
 */
import type { DirectoryEvents, DirectoryListener } from '../shared/directory-events.js';
import type { Logger } from '../shared/logger.js';

// Enough to overlap the store round trips of many users' revocations, few enough not to flood the
// store's connection with thousands of commands at once.
const EVENT_CONCURRENCY = 16;

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
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < events.length) {
          const event = events[next++]!;
          for (const listener of listeners) {
            try {
              await listener(event);
            } catch (err) {
              logger.error({ err, event: event.type, tenantId: event.tenantId }, 'directory listener failed');
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(EVENT_CONCURRENCY, events.length) }, worker));
    },
  };
}
