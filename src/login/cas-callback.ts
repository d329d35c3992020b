/**
 * GET /sso/cas — the CAS 3.0 service URL (`tenant`, `ticket`). The ticket is validated with exactly
 * the service string it was issued for: this request's own URL without the `ticket` parameter,
 * other parameters kept byte for byte (a workbench tile may have added its own).
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import { completeLogin } from './complete-login.js';
import { redeemOnce, startedForAnotherTenant, unknownTenant, type LoginDeps } from './deps.js';
import { casQuery, parseQuery } from './query.js';

export function serviceUrlOf(publicUrl: string, path: string, rawQuery: string): string {
  const kept = rawQuery.split('&').filter((part) => part !== '' && !part.startsWith('ticket='));
  return `${publicUrl}${path}${kept.length ? `?${kept.join('&')}` : ''}`;
}

export async function casCallback(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const query = parseQuery(casQuery, ctx.query);
  const pre = await deps.preLogins.take(ctx);
  let returnTo: string | null = null;
  if (pre && pre.protocol === 'cas') {
    if (pre.tenantId !== query.tenant) throw startedForAnotherTenant();
    returnTo = pre.returnTo;
  } else if (!deps.config.login.idpInitiated) {
    throw new KbError('login_idp_initiated_disabled', 'sign-in must be started from the application (IdP-initiated sign-in is disabled)');
  }

  const tenant = await deps.directory.getTenant(query.tenant);
  if (!tenant || !tenant.domainName) throw unknownTenant(query.tenant);

  await redeemOnce(deps, query.tenant, 'ticket', query.ticket);
  const service = serviceUrlOf(deps.config.publicUrl, ctx.path, ctx.querystring);
  const idpUser = await deps.idp.validateServiceTicket(tenant.domainName, { service, ticket: query.ticket });
  await completeLogin(deps, ctx, { tenantId: query.tenant, idpUser, method: 'cas', upstream: null, returnTo });
}
