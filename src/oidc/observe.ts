/**
 * What the OpenID provider does for the merchant's apps, reported on the observation bus: tokens
 * issued, refreshed, revoked and refused (`token`, protocol oidc), and the back-channel logouts it
 * delivers itself during an RP-initiated logout (`backchannel`; the ones after deprovisioning go
 * through the outbox, backchannel-job.ts). Read from oidc-provider's own events, so no grant or
 * endpoint of the library is wrapped. Never a token value: only client ids, token kinds, codes.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { Observations, ObservationOf } from '../shared/observations.js';
import { parseAccountId } from './account.js';

type TokenAction = ObservationOf<'token'>['action'];

/** The person behind an account id (`sub`), as the audit trail wants them. */
export function personOf(accountId: unknown): { tenantId?: string; userName?: string } {
  const person = typeof accountId === 'string' ? parseAccountId(accountId) : null;
  return person ? { tenantId: person.tenantId, userName: person.userName } : {};
}

const sourceOf = (ctx: KoaContextWithOIDC | undefined): { sourceIp?: string } => (ctx?.ip ? { sourceIp: ctx.ip } : {});

export function observeProvider(provider: Provider, observations: Observations): void {
  const token = (ctx: KoaContextWithOIDC | undefined, action: TokenAction, clientId: string | undefined, extra: Partial<ObservationOf<'token'>>) =>
    observations.emit({ kind: 'token', protocol: 'oidc', action, clientId: clientId ?? 'unknown', ...sourceOf(ctx), ...extra });

  // Every successful token endpoint call: a code (or a KooGallery code) redeemed, or a refresh.
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const action = ctx.oidc.params?.grant_type === 'refresh_token' ? 'refreshed' : 'issued';
    const accountId = ctx.oidc.entities.AccessToken?.accountId ?? ctx.oidc.account?.accountId;
    token(ctx, action, ctx.oidc.client?.clientId, { tokenType: 'access_token', ...personOf(accountId) });
  });
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: Error & { error?: string }) => {
    token(ctx, 'refused', ctx.oidc.client?.clientId, { reason: err.error ?? 'server_error' });
  });
  // The revocation endpoint, and a refresh token reused after its grace (oidc-provider destroys it).
  const revoked = (tokenType: string) => (destroyed: { clientId?: string; accountId?: string }) =>
    token(undefined, 'revoked', destroyed.clientId, { tokenType, ...personOf(destroyed.accountId) });
  provider.on('access_token.destroyed', revoked('access_token'));
  provider.on('refresh_token.destroyed', revoked('refresh_token'));

  provider.on('backchannel.success', (_ctx: unknown, client: { clientId: string }, accountId: string) =>
    observations.emit({ kind: 'backchannel', protocol: 'oidc', clientId: client.clientId, outcome: 'delivered', ...personOf(accountId) }),
  );
  provider.on('backchannel.error', (_ctx: unknown, err: Error, client: { clientId: string }, accountId: string) =>
    // During an RP-initiated logout nothing retries: the delivery failed for good.
    observations.emit({ kind: 'backchannel', protocol: 'oidc', clientId: client.clientId, outcome: 'failed', reason: err.message.slice(0, 200), ...personOf(accountId) }),
  );
}
