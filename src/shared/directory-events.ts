/**
 * The directory's change events: the one way deprovisioning travels from the directory to the rooms
 * that hold sessions and grants (sessions/, oidc/). Shared vocabulary, so listeners need not import
 * the directory; the emitter lives in directory/events.ts.
 */
export type DirectoryEvent =
  | { type: 'user.deprovisioned'; tenantId: string; userName: string; reason: 'deleted' | 'cancelled' | 'disabled' | 'purged' }
  | { type: 'user.updated'; tenantId: string; userName: string }
  | { type: 'tenant.removed'; tenantId: string; reason: 'deleted' | 'purged' }
  | { type: 'tenant.updated'; tenantId: string }
  /** The tenant has no usable instance left (frozen or released): its sessions and grants end, its data stays. */
  | { type: 'tenant.suspended'; tenantId: string; reason: 'frozen' | 'released' }
  | { type: 'credentials.changed'; tenantId: string; appId: string; change: 'added' | 'modified' | 'deleted' | 'purged' };

export type DirectoryListener = (event: DirectoryEvent) => void | Promise<void>;

export interface DirectoryEvents {
  /** Subscribes; returns the function that unsubscribes. */
  on(listener: DirectoryListener): () => void;
  emit(events: DirectoryEvent[]): Promise<void>;
}
