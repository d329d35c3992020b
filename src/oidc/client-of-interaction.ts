/**
 * Which app a login the bridge starts is for, when it returns to one of the provider's interactions
 * (`{PUBLIC_URL}/oidc/interaction/{uid}`): the interaction's `client_id`, as oidc-provider stored
 * it from the authorization request it already checked. The login room reports it on the login
 * observation (audit trail, admin API filter).
 *
 * Only a client configured now is answered: an interaction outliving its client's removal, or a
 * URL naming no interaction, reads as no client.
 */
import type Provider from 'oidc-provider';
import { interactionUidIn } from './interaction-params.js';

export type ClientOfInteraction = (returnUrl: string) => Promise<string | undefined>;

export function clientOfInteraction(provider: () => Provider, publicUrl: string, configured: { has(clientId: string): boolean }): ClientOfInteraction {
  const uidOf = interactionUidIn(publicUrl);
  return async (returnUrl) => {
    const uid = uidOf(returnUrl);
    if (uid === null) return undefined;
    const interaction = await provider().Interaction.find(uid);
    const clientId = interaction?.params.client_id;
    return typeof clientId === 'string' && configured.has(clientId) ? clientId : undefined;
  };
}
