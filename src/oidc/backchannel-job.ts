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

export const BACKCHANNEL_LOGOUT_JOB = 'oidc.backchannel-logout';

const payloadSchema = z.object({ clientId: z.string().min(1), accountId: z.string().min(1), sid: z.string().min(1) });

/** What one job carries: identifiers only (the sid is the one the app saw in its ID token). */
export type BackchannelLogoutPayload = z.infer<typeof payloadSchema>;

interface BackchannelClient {
  backchannelLogoutUri?: string;
  backchannelLogout(sub: string, sid: string): Promise<void>;
}

export function backchannelLogoutJob(provider: () => Provider, logger: Pick<Logger, 'info'>): JobHandler {
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
    await client.backchannelLogout(accountId, sid);
  };
}
