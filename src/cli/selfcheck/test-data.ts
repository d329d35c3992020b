/**
 * The made-up values one self-check run sends, new for every run so two runs never meet: a tenant
 * `selfcheck-<random>`, an order with its line, a businessId, a clientId and a clientSecret of the
 * check's own choosing (as a seller does in KooGallery's interface debugging, spec §5 "Debugging").
 * Everything is sent with testFlag 1, so the bridge keeps it apart as test data.
 */
import { randomBytes, randomUUID } from 'node:crypto';

export interface SelfcheckData {
  tenantId: string;
  /** The purchase (newInstance) and its order line. */
  orderId: string;
  orderLineId: string;
  /** newInstance's businessId: the instanceId a bridge answers when it follows Huawei's sample. */
  businessId: string;
  /** The order of the upgrade (upgradeInstance), another one than the purchase. */
  upgradeOrderId: string;
  upgradeOrderLineId: string;
  appId: string;
  clientId: string;
  /** The clientSecret in clear: only ever encrypted for the bridge, never printed. */
  clientSecret: string;
}

export function makeSelfcheckData(appId: string, random: (bytes: number) => string = (n) => randomBytes(n).toString('hex')): SelfcheckData {
  const tag = random(4);
  const orderId = `SELFCHECK-${tag.toUpperCase()}`;
  const upgradeOrderId = `${orderId}-UP`;
  return {
    tenantId: `selfcheck-${tag}`,
    orderId,
    orderLineId: `${orderId}-000001`,
    businessId: randomUUID(),
    upgradeOrderId,
    upgradeOrderLineId: `${upgradeOrderId}-000001`,
    appId,
    clientId: `selfcheck-client-${tag}`,
    clientSecret: random(24),
  };
}

const GMT8_OFFSET_MS = 8 * 3600 * 1000;
const digits17 = (ms: number): string => new Date(ms).toISOString().replace(/\D/g, '').slice(0, 17);

/** The kit bodies' timeStamp and currentSyncTime: GMT+8 `yyyyMMddHHmmssSSS` (spec §5). */
export const kooTimeStamp = (ms: number): string => digits17(ms + GMT8_OFFSET_MS);

/** refreshInstance's expireTime in the 17-digit UTC form KooGallery's examples show (spec §6). */
export const kooExpireTime = (ms: number): string => digits17(ms);
