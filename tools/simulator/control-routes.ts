/**
 * The simulator's own control surface, outside any tenant IdP: a health check, and the fault
 * switches over HTTP so a demo or a test in another process can break a tenant's IdP on purpose.
 */
import Router from '@koa/router';
import type { SimDeps } from './deps.js';
import { simFaultsSchema } from './faults.js';
import { BodyError, readJson } from './read-body.js';

export function controlRoutes(deps: SimDeps): Router {
  const router = new Router({ prefix: '/sim' });

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.put('/faults/:tenantId', async (ctx) => {
    const tenantId = ctx.params.tenantId!;
    if (!deps.tenants.has(tenantId)) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: 'unknown tenant' };
      return;
    }
    let body: unknown;
    try {
      body = await readJson(ctx.req);
    } catch (err) {
      ctx.status = err instanceof BodyError ? err.status : 400;
      ctx.body = { error: 'invalid_request', error_description: (err as Error).message };
      return;
    }
    const parsed = simFaultsSchema.safeParse(body);
    if (!parsed.success) {
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
      return;
    }
    deps.faults.set(tenantId, parsed.data);
    ctx.status = 204;
  });

  router.delete('/faults/:tenantId', (ctx) => {
    deps.faults.clear(ctx.params.tenantId!);
    ctx.status = 204;
  });

  router.delete('/faults', (ctx) => {
    deps.faults.clear();
    ctx.status = 204;
  });
  return router;
}
