/**
 * Change events of the directory. Later rooms (sessions, OIDC) subscribe to end sessions and
 * revoke grants the moment KooGallery deprovisions someone. Listeners run after the change is
 * committed; they are awaited (so a webhook answers after sessions are ended) and a failing
 * listener is logged, never allowed to fail the sync that KooGallery sent.
 */
import type { Logger } from '../shared/logger.js';

export type DirectoryEvent =
  | { type: 'user.deprovisioned'; tenantId: string; userName: string; reason: 'deleted' | 'cancelled' | 'disabled' | 'purged' }
  | { type: 'user.updated'; tenantId: string; userName: string }
  | { type: 'tenant.removed'; tenantId: string; reason: 'deleted' | 'purged' }
  | { type: 'tenant.updated'; tenantId: string }
  | { type: 'credentials.changed'; tenantId: string; appId: string; change: 'added' | 'modified' | 'deleted' | 'purged' };

export type DirectoryListener = (event: DirectoryEvent) => void | Promise<void>;

export interface DirectoryEvents {
  /** Subscribes; returns the function that unsubscribes. */
  on(listener: DirectoryListener): () => void;
  emit(events: DirectoryEvent[]): Promise<void>;
}

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
