/**
 * When the upstream sign-in (KooGallery's unified login, the tenant IdP) answers with an `error`
 * while an OpenID interaction waits for it, the app that asked must hear it at its redirect URI,
 * as OpenID Connect Core §3.1.2.6 has it, not find its user stranded on a bridge page.
 *
 * The login callback cannot finish the interaction the usual way (its cookie is scoped to the
 * interaction's path, never sent to /sso/callback), so the result is stored on the interaction the
 * pre-login record names, and the browser is sent to the provider's resume URL: that step checks
 * the resume cookie, so only the browser that started the interaction ends it.
 */
import type Provider from 'oidc-provider';
import { interactionUidIn } from './interaction-params.js';

/** Errors an app may receive as they came (RFC 6749 §4.1.2.1); any other upstream error reads as access_denied. */
const PASSED_THROUGH = new Set(['access_denied', 'temporarily_unavailable', 'server_error']);

export type UpstreamRefusalTo = (returnTo: string, upstreamError: string) => Promise<string | null>;

export function upstreamRefusalTo(provider: () => Provider, publicUrl: string): UpstreamRefusalTo {
  const uidOf = interactionUidIn(publicUrl);
  return async (returnTo, upstreamError) => {
    const uid = uidOf(returnTo);
    if (uid === null) return null;
    const interaction = await provider().Interaction.find(uid);
    if (!interaction) return null;
    const error = PASSED_THROUGH.has(upstreamError) ? upstreamError : 'access_denied';
    // Not the upstream's error_description: text from a redirect anyone can forge is not repeated to the app.
    interaction.result = { error, error_description: `the sign-in at KooGallery did not complete (${upstreamError.slice(0, 64).replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?')})` };
    const ttlS = interaction.exp - Math.floor(Date.now() / 1000);
    if (ttlS < 1) return null;
    await interaction.save(ttlS);
    return interaction.returnTo;
  };
}
