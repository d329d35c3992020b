/**
 * Change events of the directory. Later rooms (sessions, OIDC) subscribe to end sessions and
 * revoke grants the moment KooGallery deprovisions someone. Listeners run after the change is
 * committed and are awaited, so a webhook answers after sessions are ended. A failing listener is
 * logged and, once every listener of every event has run, fails the emit: the webhook then answers
 * 000005 and KooGallery repeats it, instead of being told "done" while a session is still valid.
 * (Deprovisioning events are also kept as pending revocations in the store, atomically with the
 * change, until they ran: see revocations.ts.)
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
      // A failure stops neither the event's other listeners nor the other events; it is rethrown at the end.
      await forEachLimited(events, REVOCATION_CONCURRENCY, async (event) => {
        let failure: unknown;
        for (const listener of listeners) {
          try {
            await listener(event);
          } catch (err) {
            logger.error({ err, event: event.type, tenantId: event.tenantId }, 'directory listener failed');
            failure ??= err;
          }
        }
        if (failure !== undefined) throw failure;
      });
    },
  };
}
