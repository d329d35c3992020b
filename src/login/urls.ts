/** The bridge's own login addresses, as registered with KooGallery and the tenant IdPs. */
import type { LoginSettings } from './deps.js';
import { matchReturnPrefix } from '../shared/return-prefix.js';
import { th, type Lang } from '../http/i18n.js';

type WithUrl = Pick<LoginSettings, 'publicUrl'>;

/** The OAuth2 redirect_uri registered with KooGallery. */
export const callbackUrl = (s: WithUrl) => `${s.publicUrl}/sso/callback`;
/** The CAS service of a login the bridge starts for a tenant. */
export const casServiceUrl = (s: WithUrl, tenantId: string) => `${s.publicUrl}/sso/cas?tenant=${encodeURIComponent(tenantId)}`;
/**
 * "Use another organization": a returning browser's /sso/login goes to the organization it last
 * signed in with; this link asks for KooGallery's unified login page instead.
 */
export const anotherOrganization = (lang: Lang) =>
  `<p class="meta">${th(lang, 'page.anotherOrganization')} <a href="/sso/login?unified=1">${th(lang, 'page.anotherOrganizationLink')}</a></p>`;
export const loggedOutUrl = (s: WithUrl) => `${s.publicUrl}/sso/logged-out`;

/**
 * The CAS service a ticket came back for: this request's own URL without the `ticket` parameter,
 * other parameters kept byte for byte (a workbench tile may have added its own). CAS validates a
 * ticket against exactly the service it was issued for.
 */
export function serviceUrlOf(publicUrl: string, path: string, rawQuery: string): string {
  const kept = rawQuery.split('&').filter((part) => part !== '' && !part.startsWith('ticket='));
  return `${publicUrl}${path}${kept.length ? `?${kept.join('&')}` : ''}`;
}

/**
 * `return_to` is honoured when it is exactly one of the allowed URLs, under one of the allowed
 * prefixes (see matchReturnPrefix), or one of the OpenID provider's own; anything else is ignored.
 */
export function allowedReturnTo(
  settings: Pick<LoginSettings, 'allowedReturnUrls'> & Partial<Pick<LoginSettings, 'allowedReturnPrefixes'>>,
  value: string | undefined,
  isExtraAllowed?: (url: string) => boolean,
): string | null {
  if (!value) return null;
  if (settings.allowedReturnUrls.includes(value)) return value;
  if (isExtraAllowed?.(value)) return value;
  return matchReturnPrefix(settings.allowedReturnPrefixes ?? [], value);
}
