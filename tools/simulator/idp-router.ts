/**
 * The router of every tenant IdP, `/idp/:tenantId/…`: one simulator serves many tenants, each
 * under the path that its tenantSync `domainName` names. The tenant is resolved once here; an
 * unknown one gets the 404 a missing IdP host would.
 */
import Router from '@koa/router';
import type { SimDeps, SimState } from './deps.js';

export type IdpRouter = Router<SimState>;

export function createIdpRouter(deps: SimDeps): IdpRouter {
  const router = new Router<SimState>({ prefix: '/idp/:tenantId' });
  router.param('tenantId', async (tenantId, ctx, next) => {
    const tenant = deps.tenants.get(tenantId);
    if (!tenant) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: 'unknown tenant' };
      return;
    }
    ctx.state.tenant = tenant;
    await next();
  });
  return router;
}

/** One value of a query parameter: a repeated parameter is as good as a missing one. */
export const queryParam = (value: string | string[] | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
