/**
 * Deprovisioning reaches the CAS apps: when KooGallery removes a user (deleted, cancelled, disabled,
 * purged) or a whole tenant (removed, frozen, released, credentials removed), the sessions room ends
 * the bridge sessions — which already kills every ticket not yet validated — and here every service
 * that received a ticket in them is sent single logout through the outbox, after the webhook's answer.
 */
import type { DirectoryEvent, DirectoryEvents } from '../shared/directory-events.js';
import type { JobQueue } from '../shared/jobs.js';
import type { LogoutRecords } from './logouts.js';
import { enqueueSingleLogouts } from './single-logout-job.js';

export function singleLogoutOnDeprovisioning(events: DirectoryEvents, deps: { logouts: LogoutRecords; jobs: JobQueue }): () => void {
  return events.on(async (event: DirectoryEvent) => {
    if (event.type === 'user.deprovisioned') await enqueueSingleLogouts(deps.jobs, await deps.logouts.takeUser(event.tenantId, event.userName));
    else if (event.type === 'tenant.removed' || event.type === 'tenant.suspended') await enqueueSingleLogouts(deps.jobs, await deps.logouts.takeTenant(event.tenantId));
    else if (event.type === 'credentials.changed' && (event.change === 'deleted' || event.change === 'purged')) await enqueueSingleLogouts(deps.jobs, await deps.logouts.takeTenant(event.tenantId));
  });
}
