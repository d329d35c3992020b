/**
 * The basic (instance lifecycle) interfaces of spec §6: validate the verified body, apply it to the
 * directory, answer what KooGallery expects. Every activity is idempotent under KooGallery's
 * retries (every 2 minutes for about 2 hours); a refusal writes nothing.
 */
import type { Directory } from '../directory/directory.js';
import type { InstanceRecord } from '../directory/records.js';
import { parseBasicBody } from '../koogallery/schemas-basic.js';
import { KbError } from '../shared/errors.js';
import { success, type KooEnvelope } from './envelope.js';
import { KOO_RESULT } from './result-codes.js';

export interface BasicDeps {
  directory: Directory;
  /** queryInstance `appInfo`: where the buyer's users open the app, and its optional admin page and note. */
  instanceInfo: { frontEndUrl: string; adminUrl: string | null; memo: string | null };
  /** changeInstanceCheck: whether a renewal may change the spec (KOO_CHANGE_INSTANCE). */
  allowSpecChange: boolean;
  /** Called after a purchase, an upgrade or a renewal: fetch what was bought, in the background. */
  onOrderChanged?(instanceId: string, orderId: string, orderLineId: string | null): Promise<void>;
}

export interface BasicResult {
  activity: string;
  answer: KooEnvelope;
  summary: Record<string, unknown>;
}

export async function handleBasic(deps: BasicDeps, raw: Record<string, unknown>): Promise<BasicResult> {
  const body = parseBasicBody(raw);
  const { directory } = deps;
  const test = body.testFlag === 1;
  switch (body.activity) {
    case 'newInstance': {
      const { instanceId, created } = await directory.applyNewInstance({ orderId: body.orderId, orderLineId: body.orderLineId, businessId: body.businessId, test, productId: null });
      if (created && orderKnownToKooGallery(test, body.orderId)) await deps.onOrderChanged?.(instanceId, body.orderId, body.orderLineId);
      return { activity: body.activity, answer: success({ instanceId }), summary: { instanceId, created, test } };
    }
    case 'queryInstance': {
      const found = (await directory.getInstances(body.instanceIds)).filter((i): i is InstanceRecord => i !== null);
      // None known: 000003 (spec §4). Some known: the known ones, as KooGallery asks about its own ids.
      if (found.length === 0) throw new KbError('instance_unknown', `no instance ${body.instanceIds.map((id) => JSON.stringify(id)).join(', ')} exists`);
      const info = found.map((i) => ({ instanceId: i.instanceId, appInfo: appInfoOf(deps) }));
      return { activity: body.activity, answer: success({ info }), summary: { asked: body.instanceIds.length, found: found.length } };
    }
    case 'refreshInstance': {
      const { change, instance } = await directory.refreshInstance({ instanceId: body.instanceId, scene: body.scene, expireTime: body.expireTime, productId: body.productId });
      if (change === 'changed' && orderKnownToKooGallery(instance.test, body.orderId)) await deps.onOrderChanged?.(body.instanceId, body.orderId, body.orderLineId);
      return { activity: body.activity, answer: success(), summary: { instanceId: body.instanceId, scene: body.scene, change } };
    }
    case 'updateInstanceStatus': {
      const { change } = await directory.setInstanceFrozen(body.instanceId, body.status === 'FREEZE');
      return { activity: body.activity, answer: success(), summary: { instanceId: body.instanceId, status: body.status, change } };
    }
    case 'releaseInstance': {
      const { change } = await directory.releaseInstance(body.instanceId);
      return { activity: body.activity, answer: success(), summary: { instanceId: body.instanceId, change } };
    }
    case 'upgradeInstance': {
      const { change, instance } = await directory.upgradeInstance({ instanceId: body.instanceId, orderId: body.orderId, productId: body.productId ?? null });
      if (change === 'changed' && orderKnownToKooGallery(instance.test, body.orderId)) await deps.onOrderChanged?.(body.instanceId, body.orderId, body.orderLineId);
      return { activity: body.activity, answer: success(), summary: { instanceId: body.instanceId, change } };
    }
    case 'changeInstanceCheck': {
      const instance = await directory.getInstance(body.instanceId);
      if (instance === null) throw new KbError('instance_unknown', `instance ${JSON.stringify(body.instanceId)} does not exist`);
      const possible = deps.allowSpecChange && instance.status !== 'released';
      const answer: KooEnvelope = possible
        ? success()
        : { resultCode: KOO_RESULT.badParameter, resultMsg: instance.status === 'released' ? 'the instance was released; its spec cannot change' : 'this merchant does not allow spec changes of a running instance' };
      return { activity: body.activity, answer, summary: { instanceId: body.instanceId, possible } };
    }
  }
}

/**
 * Debug calls (testFlag "1") carry made-up order ids the order query does not know, except
 * KooGallery's own mock orders (`MOCK…`, spec §9): only those are fetched for test instances.
 */
const orderKnownToKooGallery = (test: boolean, orderId: string): boolean => !test || orderId.startsWith('MOCK');

function appInfoOf(deps: BasicDeps): Record<string, string> {
  const { frontEndUrl, adminUrl, memo } = deps.instanceInfo;
  return { frontEndUrl, ...(adminUrl ? { adminUrl } : {}), ...(memo ? { memo } : {}) };
}
