/**
 * `/cas/login` (CAS 3.0 §2.1): a browser with a live bridge session of a tenant the service allows
 * gets a ticket at once (302 to the service with `ticket=ST-…`); without one it goes through the
 * KooGallery login (`/sso/login`, to the hinted tenant's IdP or the unified page) and comes back
 * here, exactly as an OpenID interaction does.
 *
 * - `renew`: single sign-on is bypassed: a ticket is issued only for a session made by a sign-in
 *   this request started (`isFromNewLogin`); `renew` wins over `gateway` (§2.1.1).
 * - `gateway`: never shows a login: without a usable session the browser returns to the service
 *   without a ticket.
 * - A service CAS_SERVICES_FILE does not register gets an error page, never a redirect.
 *
 * The return URL carries a one-time marker (`kb_login`): its record, keyed by the marker's hash, says
 * when this request sent the browser to sign in and for which service, so a session at least as new
 * is "from a new login" — the marker alone proves nothing without the record.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import { sha256Base64url } from '../shared/hash.js';
import { isTenantId } from '../shared/identifiers.js';
import { readCookie } from '../http/cookies.js';
import { originOf, type AppContext } from '../http/state.js';
import type { SessionRecord } from '../sessions/types.js';
import type { CasDeps } from './deps.js';
import { findService, tenantAllowed, type CasService } from './services.js';
import { isSet } from './validate.js';

/** A KooGallery login, password reset included, fits in it (as the OpenID interactions). */
export const LOGIN_MARKER_TTL_MS = 10 * 60_000;
const MARKER = /^[A-Za-z0-9_-]{43}$/;

const one = z.string().max(4096).optional();
export const loginQuery = z.object({
  service: one,
  renew: one,
  gateway: one,
  tenant: z.string().refine(isTenantId, 'is not a valid tenant id').optional(),
  kb_login: z.string().regex(MARKER, 'is not a login marker').optional(),
});
export type LoginQuery = z.output<typeof loginQuery>;

interface MarkerRecord {
  started: number;
  service: string;
}

/** `service` with `ticket` added, before any fragment (services with a fragment are refused). */
export const withTicket = (service: string, ticket: string): string => `${service}${service.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`;

export async function casLogin(deps: CasDeps, ctx: AppContext, query: LoginQuery): Promise<void> {
  if (!query.service) {
    // No app asked (§2.1.1: "the user may be shown a page"): the bridge's own sign-in and landing.
    ctx.redirect('/sso/login');
    return;
  }
  const service = findService(deps.services, query.service);
  if (!service) {
    deps.observations.emit({ kind: 'token', protocol: 'cas', action: 'refused', tokenType: 'service_ticket', clientId: 'unknown', reason: 'cas_service_not_registered', ...originOf(ctx) });
    throw new KbError('cas_service_not_registered', `CAS service not registered: ${query.service.slice(0, 200)}`);
  }
  const renew = isSet(query.renew);
  const gateway = isSet(query.gateway) && !renew;

  const marker = query.kb_login ? await takeMarker(deps, query.kb_login, query.service) : null;
  let session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  if (session) session = await deps.refresh.ensureFresh(session);
  const fresh = session !== null && marker !== null && session.createdAt >= marker.started;
  const usable = session !== null && (fresh || !renew);

  if (!usable || !session) {
    if (gateway) {
      ctx.redirect(query.service);
      return;
    }
    // Back from a sign-in that did not give this browser a usable session: no second round trip.
    if (marker !== null) throw new KbError('login_state_invalid', 'the sign-in for this CAS service did not complete in this browser');
    await sendToLogin(deps, ctx, service, query, session);
    return;
  }
  if (!tenantAllowed(service, session.tenantId)) {
    deps.observations.emit({ kind: 'token', protocol: 'cas', action: 'refused', tokenType: 'service_ticket', clientId: service.id, tenantId: session.tenantId, userName: session.userName, reason: 'cas_tenant_not_allowed', ...originOf(ctx) });
    throw new KbError('cas_tenant_not_allowed', `organization ${session.tenantId} may not use CAS service ${service.id}`);
  }
  ctx.redirect(withTicket(query.service, await issue(deps, ctx, service, query.service, session, fresh)));
}

async function issue(deps: CasDeps, ctx: AppContext, service: CasService, serviceUrl: string, session: SessionRecord, fromNewLogin: boolean): Promise<string> {
  const { tenantId, userName, sidHash } = session;
  const { ticket, hash } = await deps.tickets.issue({ service: serviceUrl, serviceId: service.id, sidHash, tenantId, userName, fromNewLogin });
  // Remembered before the browser leaves with the ticket, so no app can hold a session we do not know of.
  if (service.singleLogout) await deps.logouts.record(session, hash, { ticket, serviceId: service.id, serviceUrl });
  deps.observations.emit({ kind: 'token', protocol: 'cas', action: 'issued', tokenType: 'service_ticket', clientId: service.id, tenantId, userName, ...originOf(ctx) });
  ctx.state.log.info({ service: service.id, tenantId, fromNewLogin }, 'CAS service ticket issued');
  return ticket;
}

async function sendToLogin(deps: CasDeps, ctx: AppContext, service: CasService, query: LoginQuery, session: SessionRecord | null): Promise<void> {
  const markerValue = randomBytes(32).toString('base64url');
  const record: MarkerRecord = { started: deps.now(), service: query.service! };
  await deps.store.exec([{ op: 'set', key: deps.keys.casLoginStarted(sha256Base64url(markerValue)), value: JSON.stringify(record), ttlMs: LOGIN_MARKER_TTL_MS }]);
  const back = new URLSearchParams({ service: query.service!, kb_login: markerValue });
  // Whose IdP: the one the app names, the only tenant it allows, or (renew) the tenant signed in now.
  const hint = query.tenant ?? (service.allowedTenants?.length === 1 ? service.allowedTenants[0] : undefined) ?? session?.tenantId;
  const login = new URLSearchParams({ ...(hint ? { tenant: hint } : {}), return_to: `${deps.publicUrl}/cas/login?${back.toString()}` });
  ctx.redirect(`/sso/login?${login.toString()}`);
}

/** The marker's record, removed (one use); null when unknown, expired or made for another service. */
async function takeMarker(deps: CasDeps, marker: string, service: string): Promise<MarkerRecord | null> {
  const raw = await deps.store.take(deps.keys.casLoginStarted(sha256Base64url(marker)));
  if (raw === null) return null;
  const record = JSON.parse(raw) as MarkerRecord;
  return record.service === service ? record : null;
}

/**
 * Whether `url` is one of this server's own return URLs (`{PUBLIC_URL}/cas/login?service=…` of a
 * registered service): the login room honours it as `return_to`, as it does the OpenID provider's.
 */
export function isCasReturnUrl(deps: Pick<CasDeps, 'publicUrl' | 'services'>, url: string): boolean {
  return serviceOfReturnUrl(deps, url) !== null;
}

/** The registered service such a return URL is for (the login room reports its id), or null. */
export function serviceOfReturnUrl(deps: Pick<CasDeps, 'publicUrl' | 'services'>, url: string): CasService | null {
  const base = `${deps.publicUrl}/cas/login?`;
  if (!url.startsWith(base)) return null;
  const service = new URLSearchParams(url.slice(base.length)).get('service');
  return service === null ? null : findService(deps.services, service);
}
