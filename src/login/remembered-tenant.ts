/**
 * A returning browser remembers the organization it last signed in with, so the next login can go
 * straight to that tenant's IdP with a `state` (a callback tied to this browser) instead of the
 * unified login page (whose callbacks carry no state). The cookie is not a secret and proves
 * nothing: it only picks where a login starts; a tampered value is at worst an unknown tenant,
 * and then the unified page is used.
 */
import { readCookie, setCookie } from '../http/cookies.js';
import type { AppContext } from '../http/state.js';
import { isTenantId } from '../shared/identifiers.js';
import type { LoginDeps } from './deps.js';

// As long as KooGallery keeps a refresh token (30 days): a browser that came back within that
// time is "returning"; an older memory is worth less than the unified page's choice.
export const TENANT_MEMORY_MS = 30 * 24 * 3600_000;

/** `koobridge-tenant` (`__Host-koobridge-tenant` under https): HttpOnly, SameSite=Lax, long-lived. */
export const tenantCookie = (deps: Pick<LoginDeps, 'cookies'>) => `${deps.cookies.session}-tenant`;

export function rememberTenant(deps: Pick<LoginDeps, 'cookies'>, ctx: AppContext, tenantId: string): void {
  setCookie(ctx, deps.cookies, tenantCookie(deps), tenantId, TENANT_MEMORY_MS);
}

/** The remembered tenant id, or null (none, or not a tenant id at all). */
export function rememberedTenant(deps: Pick<LoginDeps, 'cookies'>, ctx: AppContext): string | null {
  const value = readCookie(ctx, tenantCookie(deps));
  return value && isTenantId(value) ? value : null;
}
