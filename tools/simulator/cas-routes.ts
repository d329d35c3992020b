/**
 * A tenant IdP's CAS 3.0 face (spec §7): login (a service ticket for the service URL), the
 * p3/serviceValidate back channel, and logout. Tickets follow CAS 3.0: `ST-` prefix, one
 * validation attempt each, bound to the exact service string, short-lived.
 */
import type { SimContext, SimDeps } from './deps.js';
import { findUser } from './deps.js';
import { casAttributes, casFailure, casFormat, casSuccess, type CasBody } from './cas-response.js';
import { countCall, faultPoint } from './fault-point.js';
import type { Login } from './grants.js';
import { messagePage, sendHtml } from './html.js';
import { queryParam, type IdpRouter } from './idp-router.js';
import { appendQuery, isHttpUrl } from './redirect-url.js';
import { currentLogin, endSso, showLoginForm, signInFromForm } from './sign-in.js';

function redirectWithTicket(deps: SimDeps, ctx: SimContext, service: string, login: Login): void {
  ctx.redirect(appendQuery(service, { ticket: deps.grants.issueTicket(login, service) }));
}

/** The service of a login request, or undefined after answering 400. */
function serviceOf(ctx: SimContext): string | undefined {
  const service = queryParam(ctx.query.service);
  if (isHttpUrl(service)) return service;
  sendHtml(ctx, 400, messagePage('CAS login', 'The service parameter must be an absolute http(s) URL.'));
  return undefined;
}

function sendCas(ctx: SimContext, answer: CasBody): void {
  // CAS answers 200 whether the ticket was good or not: the verdict is in the body.
  ctx.status = 200;
  ctx.type = answer.contentType;
  ctx.set('Cache-Control', 'no-store');
  ctx.body = answer.body;
}

export function addCasRoutes(router: IdpRouter, deps: SimDeps): void {
  const login = '/api/v1/cas/login';

  router.get(login, faultPoint(deps, 'casLogin'), (ctx) => {
    const service = serviceOf(ctx);
    if (!service) return;
    const tenant = ctx.state.tenant;
    // CAS `renew=true` asks for a fresh password, ignoring the SSO session.
    const existing = queryParam(ctx.query.renew) === 'true' ? undefined : currentLogin(deps, ctx, tenant);
    if (existing) return redirectWithTicket(deps, ctx, service, existing);
    // CAS `gateway=true`: never show a login page; back to the service without a ticket.
    if (queryParam(ctx.query.gateway) === 'true') return ctx.redirect(service);
    showLoginForm(ctx, tenant);
  });

  router.post(login, faultPoint(deps, 'casLogin'), async (ctx) => {
    const service = serviceOf(ctx);
    if (!service) return;
    const signedIn = await signInFromForm(deps, ctx);
    if (signedIn) redirectWithTicket(deps, ctx, service, signedIn);
  });

  router.get('/api/v1/cas/p3/serviceValidate', countCall(deps, 'validateCalls'), faultPoint(deps, 'serviceValidate'), (ctx) => {
    const tenant = ctx.state.tenant;
    const format = casFormat(queryParam(ctx.query.format));
    const service = queryParam(ctx.query.service);
    const ticket = queryParam(ctx.query.ticket);
    if (!service || !ticket) return sendCas(ctx, casFailure(format, 'INVALID_REQUEST', 'service and ticket are required'));

    // Consumed by this attempt, whatever its outcome.
    const grant = deps.grants.takeTicket(ticket, tenant.tenantId);
    const user = grant ? findUser(tenant, grant.userName) : undefined;
    // The description quotes the ticket as CAS servers do, cut to the 256 characters a ticket may have.
    const quoted = ticket.slice(0, 256);
    if (!grant || !user) return sendCas(ctx, casFailure(format, 'INVALID_TICKET', `Ticket '${quoted}' not recognized`));
    if (grant.service !== service) {
      return sendCas(ctx, casFailure(format, 'INVALID_SERVICE', `Ticket '${quoted}' does not match supplied service`));
    }
    sendCas(ctx, casSuccess(format, user.userName, casAttributes(tenant, user, grant)));
  });

  router.get('/api/v1/cas/logout', faultPoint(deps, 'logout'), (ctx) => {
    const service = queryParam(ctx.query.service);
    endSso(deps, ctx, ctx.state.tenant.tenantId);
    if (isHttpUrl(service)) ctx.redirect(service);
    else sendHtml(ctx, 200, messagePage('Signed out', `You are signed out of ${ctx.state.tenant.name}.`));
  });
}
