/**
 * CAS single logout (CAS 3.0 §2.3.3) as an outbox job: when a bridge session ends by /cas/logout or
 * by deprovisioning, every service that received a ticket in it is sent the spec's SAML
 * `LogoutRequest` (form field `logoutRequest`, the ticket as `SessionIndex`) by POST, outside the
 * request that ended it, bounded by SINGLE_LOGOUT_TIMEOUT_MS and retried with backoff by the outbox.
 *
 * The job carries identifiers and the sealed record (logouts.ts): the ticket inside is useless by
 * then (validation needs the ended session) and opens only under SECRET_KEYS, bound to this job's
 * tenant, user and reference. Outcome: any 2xx or 3xx answer is a delivery (mod_auth_cas answers
 * its usual redirect to the login); a 4xx is the app refusing for good (dead-lettered, not retried);
 * a 5xx, a timeout or no connection is retried.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { PermanentJobError, type JobHandler, type JobQueue } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import type { Observations } from '../shared/observations.js';
import type { LogoutEntry, LogoutRecords } from './logouts.js';
import { logoutRequestXml } from './responses.js';
import type { CasService } from './services.js';

export const SINGLE_LOGOUT_JOB = 'cas.single-logout';
/** As OpenID back-channel logout (oidc-provider's 2.5 s): one slow app never holds the outbox long. */
export const SINGLE_LOGOUT_TIMEOUT_MS = 2_500;

const payloadSchema = z.object({ tenantId: z.string().min(1), userName: z.string().min(1), ref: z.string().min(1), sealed: z.string().min(1) });

/** One job per ticket; a repeated deprovisioning does not notify twice while one is pending. */
export async function enqueueSingleLogouts(jobs: JobQueue, entries: readonly LogoutEntry[]): Promise<void> {
  await Promise.all(entries.map((entry) => jobs.enqueue(SINGLE_LOGOUT_JOB, { ...entry }, { dedupeKey: entry.ref })));
}

export function singleLogoutJob(deps: {
  services: readonly CasService[];
  logouts: Pick<LogoutRecords, 'open'>;
  observations: Observations;
  logger: Pick<Logger, 'info'>;
  now: () => number;
  fetch?: typeof fetch;
}): JobHandler {
  const send = deps.fetch ?? fetch;
  return async (payload, job) => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('malformed CAS single-logout job');
    const entry = parsed.data;
    const target = deps.logouts.open(entry);
    const service = deps.services.find((s) => s.id === target.serviceId);
    if (!service?.singleLogout) {
      // The operator removed the service, or its single logout, since: nobody to tell.
      deps.logger.info({ service: target.serviceId }, 'CAS single logout dropped: the service is no longer registered for it');
      return;
    }
    const report = (outcome: 'delivered' | 'failed' | 'retrying', reason?: string) =>
      deps.observations.emit({ kind: 'backchannel', protocol: 'cas', clientId: service.id, outcome, tenantId: entry.tenantId, userName: entry.userName, ...(reason ? { reason } : {}) });
    const xml = logoutRequestXml(`LR-${randomBytes(16).toString('base64url')}`, new Date(deps.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), target.ticket);
    let status: number;
    try {
      const res = await send(service.logoutUrl ?? target.serviceUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logoutRequest: xml }).toString(),
        redirect: 'manual',
        signal: AbortSignal.any([job.signal, AbortSignal.timeout(SINGLE_LOGOUT_TIMEOUT_MS)]),
      });
      status = res.status;
      await res.body?.cancel();
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
      report('retrying', reason);
      throw new Error(`CAS single logout to service ${service.id}: ${reason}`);
    }
    if (status < 400) return report('delivered');
    if (status < 500) {
      report('failed', `HTTP ${status}`);
      throw new PermanentJobError(`CAS single logout refused by service ${service.id} (HTTP ${status})`);
    }
    report('retrying', `HTTP ${status}`);
    throw new Error(`CAS single logout to service ${service.id}: HTTP ${status}`);
  };
}
