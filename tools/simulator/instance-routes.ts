/**
 * The marketplace side of an instance's life, for a demo or a test in another process: freeze,
 * unfreeze or release a tenant's instance at the bridge the simulator last synced to, as
 * KooGallery does (a signed basic call to the production address). The bridge's answer is passed on.
 */
import Router from '@koa/router';
import type { SimDeps } from './deps.js';
import { simInstanceId } from './sync.js';
import type { SyncTarget } from './types.js';
import { createWebhookSender } from './webhook-sender.js';

const ACTIONS = {
  freeze: { activity: 'updateInstanceStatus', status: 'FREEZE' },
  unfreeze: { activity: 'updateInstanceStatus', status: 'UNFREEZE' },
  release: { activity: 'releaseInstance' },
} as const;

export function instanceRoutes(deps: SimDeps, lastTarget: () => SyncTarget | null): Router {
  const router = new Router({ prefix: '/sim/instances' });
  router.post('/:tenantId/:action', async (ctx) => {
    const { tenantId, action } = ctx.params as { tenantId: string; action: string };
    const target = lastTarget();
    const body = Object.hasOwn(ACTIONS, action) ? ACTIONS[action as keyof typeof ACTIONS] : null;
    if (!deps.tenants.has(tenantId) || body === null) {
      ctx.status = 404;
      ctx.body = { error: 'not_found', error_description: `POST /sim/instances/<tenant>/{${Object.keys(ACTIONS).join('|')}} for a known tenant` };
      return;
    }
    if (target === null) {
      ctx.status = 409;
      ctx.body = { error: 'not_synced', error_description: 'the simulator has not pushed its tenants to a bridge yet' };
      return;
    }
    const sender = createWebhookSender({ productionUrl: target.productionUrl, accessKey: target.accessKey, ...(target.now ? { now: target.now } : {}) });
    const answer = await sender.sendBasic({ ...body, instanceId: simInstanceId(tenantId), testFlag: '0' });
    ctx.body = { instanceId: simInstanceId(tenantId), action, resultCode: answer.resultCode, resultMsg: answer.resultMsg };
  });
  return router;
}
