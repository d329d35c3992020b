/**
 * The simulator's marketplace pushing its made-up tenants to a bridge, as KooGallery does when a
 * buyer purchases and binds the app: newInstance (the purchase), then tenantSync, applicationSync
 * (clientSecret encrypted for the bridge), authSync (every user) and allOrgSync, each signed with
 * the accessKey by the webhook sender.
 */
import { createWebhookSender, encryptClientSecret } from './webhook-sender.js';
import type { KitInterface } from '../../src/koogallery/schemas.js';
import type { OrderBook } from './orders.js';
import type { SimOrg, SimTenant, SyncTarget } from './types.js';

/** KooGallery's per-call cap on authSync users (spec §5.3). */
const USERS_PER_CALL = 500;
const GMT8_OFFSET_MS = 8 * 3600 * 1000;

/** KooGallery's timeStamp / currentSyncTime: GMT+8 `yyyyMMddHHmmssSSS`. */
export const kooTimeStamp = (ms: number): string => new Date(ms + GMT8_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 17);

/** The instance a tenant's subscription would have; made up, stable per tenant. */
export const simInstanceId = (tenantId: string): string => `sim-inst-${tenantId}`;

/** The order that bought the tenant's instance; made up, stable per tenant. */
export const simOrderId = (tenantId: string): string => `SIMORDER-${tenantId}`;

/** The tenant's departments; without a list, one top-level department per orgCode its users name. */
export function tenantOrgs(tenant: SimTenant): SimOrg[] {
  if (tenant.orgs) return tenant.orgs;
  const codes = [...new Set(tenant.users.map((u) => u.orgCode))];
  return codes.map((orgCode) => ({ orgCode, orgName: orgCode, parentCode: '' }));
}

/** The bridge answered, and its answer was not 000000: repeating the same call will not help. */
export class SyncRefusedError extends Error {
  constructor(
    /** The kit interface, or `newInstance` for the purchase before the binding. */
    readonly kitInterface: KitInterface | 'newInstance',
    readonly resultCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyncRefusedError';
  }
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export async function syncTenants(tenants: Iterable<SimTenant>, domainName: (tenantId: string) => string, target: SyncTarget, orders?: OrderBook): Promise<void> {
  const now = target.now ?? Date.now;
  const sender = createWebhookSender({ productionUrl: target.productionUrl, accessKey: target.accessKey, now });

  const send = async (name: KitInterface, tenantId: string, body: Record<string, unknown>): Promise<void> => {
    const answer = await sender.send(name, body);
    if (answer.resultCode !== '000000') {
      throw new SyncRefusedError(name, answer.resultCode, `${name} of tenant ${tenantId} was refused (HTTP ${answer.status}, ${answer.resultCode}): ${answer.resultMsg}`);
    }
  };

  for (const tenant of tenants) {
    const { tenantId } = tenant;
    const instanceId = simInstanceId(tenantId);
    const stamp = () => kooTimeStamp(now());
    const orderId = simOrderId(tenantId);
    // The purchase, as the order query will answer it (a one-year subscription of the demo product).
    if (orders && !orders.get(orderId)) orders.add({ orderId });
    const purchase = await sender.sendBasic({ activity: 'newInstance', orderId, orderLineId: `${orderId}-000001`, businessId: instanceId, testFlag: '0' });
    if (purchase.resultCode !== '000000') throw new SyncRefusedError('newInstance', purchase.resultCode, `newInstance of tenant ${tenantId} was refused (HTTP ${purchase.status}, ${purchase.resultCode}): ${purchase.resultMsg}`);
    // Keys in a natural, unsorted order, as KooGallery sends them: the signature is over the sorted form.
    await send('tenantSync', tenantId, {
      instanceId,
      orderId,
      tenantId,
      tenantCode: tenant.tenantCode,
      name: tenant.name,
      domainName: domainName(tenantId),
      flag: 1,
      testFlag: 0,
      timeStamp: stamp(),
    });
    await send('applicationSync', tenantId, {
      instanceId,
      tenantId,
      appId: target.appId,
      clientId: tenant.clientId,
      clientSecret: encryptClientSecret(tenant.clientSecret, target.publicKeyPem),
      flag: 1,
      testFlag: 0,
      timeStamp: stamp(),
    });
    const syncTime = stamp();
    for (const users of chunks(tenant.users, USERS_PER_CALL)) {
      await send('authSync', tenantId, {
        instanceId,
        tenantId,
        appId: target.appId,
        userList: users.map((u) => ({
          userName: u.userName,
          name: u.name,
          orgCode: u.orgCode,
          role: u.role,
          // The documented STRING form (spec §5.3).
          enable: u.enable === false ? 'false' : 'true',
          ...(u.mobile ? { mobile: u.mobile } : {}),
          ...(u.email ? { email: u.email } : {}),
        })),
        currentSyncTime: syncTime,
        flag: 1,
        testFlag: 0,
        timeStamp: syncTime,
      });
    }
    await send('allOrgSync', tenantId, { instanceId, tenantId, orgInfoList: tenantOrgs(tenant), testFlag: 0, timeStamp: stamp() });
  }
}
