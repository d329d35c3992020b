/**
 * Back-channel logout as an outbox job. Deprovisioning ends the provider session at once and
 * enqueues one job per (client, session); this handler sends the logout token later, outside the
 * webhook, so a slow or unreachable app delays no KooGallery answer. The token is minted at send
 * time (the job holds only the client id, the account id and the session's sid) and oidc-provider's
 * own 2.5 s timeout bounds each try; a refusal or a timeout is retried with backoff by the outbox.
 */
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { PermanentJobError, type JobHandler } from '../shared/jobs.js';
import type { Logger } from '../shared/logger.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import { personOf } from './observe.js';

export const BACKCHANNEL_LOGOUT_JOB = 'oidc.backchannel-logout';

const payloadSchema = z.object({ clientId: z.string().min(1), accountId: z.string().min(1), sid: z.string().min(1) });

/** What one job carries: identifiers only (the sid is the one the app saw in its ID token). */
export type BackchannelLogoutPayload = z.infer<typeof payloadSchema>;

interface BackchannelClient {
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

/**
 * Each try is reported (`backchannel`, protocol oidc): `delivered`, or `retrying` when it failed and
 * the outbox will try again (its dead letters tell when it gave up), `failed` when it never can.
 */
export function backchannelLogoutJob(provider: () => Provider, logger: Pick<Logger, 'info'>, observations: Observations = NO_OBSERVATIONS): JobHandler {
  return async (payload) => {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) throw new PermanentJobError('malformed back-channel logout job');
    const { clientId, accountId, sid } = parsed.data;
    const client = (await provider().Client.find(clientId)) as unknown as BackchannelClient | undefined;
    if (!client?.backchannelLogoutUri) {
      // The operator removed the client or its URI since: nobody to tell.
      logger.info({ clientId }, 'back-channel logout dropped: the client has no backchannel_logout_uri any more');
      return;
    }
    const report = (outcome: 'delivered' | 'retrying', reason?: string) =>
      observations.emit({ kind: 'backchannel', protocol: 'oidc', clientId, outcome, ...personOf(accountId), ...(reason ? { reason } : {}) });
    try {
      await client.backchannelLogout(accountId, sid);
    } catch (err) {
      report('retrying', (err as Error).message.slice(0, 200));
      throw err;
    }
    report('delivered');
  };
}
