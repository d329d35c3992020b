/**
 * The marketplace's unified login page (spec §7, step "unified login"): the user picks an
 * enterprise and one of its users, types any password, and the browser goes to the merchant's
 * registered callback with `code` and `tenant` — no `state`, none is documented.
 *
 * The real page reads `ind=UNOP&appId=…` from the URL fragment, which browsers never send to a
 * server; this one accepts them in the query and ignores them when missing.
 */
import Router, { type RouterContext, type RouterMiddleware } from '@koa/router';
import type { SimDeps } from './deps.js';
import { findUser } from './deps.js';
import { sendHtml, unifiedLoginPage } from './html.js';
import { queryParam } from './idp-router.js';
import { BodyError, readForm } from './read-body.js';
import { appendQuery } from './redirect-url.js';
import { startSso } from './sign-in.js';

export function unifiedLoginRoutes(deps: SimDeps): Router {
  const router = new Router();
  const tenants = [...deps.tenants.values()];

  const showForm = (ctx: RouterContext, status: number, error?: string, tenantId?: string, userName?: string) =>
    sendHtml(ctx, status, unifiedLoginPage({ tenants, ...(error ? { error } : {}), ...(tenantId ? { tenantId } : {}), ...(userName ? { userName } : {}) }));

  const page: RouterMiddleware = (ctx) => {
    const appId = queryParam(ctx.query.appId);
    // A wrong appId is the merchant's misconfiguration: say so rather than log in to nowhere.
    if (appId !== undefined && appId !== deps.appId) return showForm(ctx, 400, `Unknown appId ${JSON.stringify(appId)}.`);
    showForm(ctx, 200, undefined, queryParam(ctx.query.tenant));
  };
  router.get('/unified-login', page);
  router.get('/unified-login/', page);

  router.post('/unified-login/submit', async (ctx) => {
    let form: URLSearchParams;
    try {
      form = await readForm(ctx.req);
    } catch (err) {
      return showForm(ctx, err instanceof BodyError ? err.status : 400, (err as Error).message);
    }
    const tenantId = form.get('tenant') ?? '';
    const userName = form.get('userName') ?? '';
    const tenant = deps.tenants.get(tenantId);
    if (!tenant) return showForm(ctx, 400, `There is no enterprise ${JSON.stringify(tenantId)}.`);
    if (!findUser(tenant, userName)) return showForm(ctx, 400, `There is no user ${JSON.stringify(userName)} in ${tenant.name}.`, tenantId);
    if (!form.get('password')) return showForm(ctx, 400, 'Please type a password (any non-empty password is accepted).', tenantId, userName);

    // Signing in here also signs the browser in at the tenant's IdP (workbench SSO).
    const login = startSso(deps, ctx, tenantId, userName);
    const code = deps.grants.issueCode(login, tenant.clientId, deps.callbackUrl);
    ctx.redirect(appendQuery(deps.callbackUrl, { code, tenant: tenantId }));
  });
  return router;
}
