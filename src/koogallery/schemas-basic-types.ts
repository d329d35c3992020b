/**
 * The normalized shapes of the basic (instance-lifecycle) bodies (spec §6), as the rest of
 * koobridge sees them once schemas-basic.ts has accepted a body: ids trimmed, optional values
 * `null` when absent or empty, times converted, and `activity` the discriminant.
 */
import type { TestFlag } from './schemas-types.js';

interface BasicCommon {
  /** 1 for KooGallery's interface debugging: answer success, change nothing (Huawei's sample). */
  testFlag: TestFlag;
}

/** A purchase: create (or find again) the instance for orderId + orderLineId. */
export interface NewInstance extends BasicCommon {
  activity: 'newInstance';
  orderId: string;
  orderLineId: string;
  /** Differs on every retry; the first one decides the instanceId. */
  businessId: string;
}

/** KooGallery asks for the access details of up to 100 instances. */
export interface QueryInstance extends BasicCommon {
  activity: 'queryInstance';
  /** The comma-separated `instanceId`, split, trimmed, without duplicates, in order: 1 to 100 ids. */
  instanceIds: string[];
}

export type RefreshScene = 'TRIAL_TO_FORMAL' | 'RENEWAL' | 'UNSUBSCRIBE_RENEWAL_PERIOD' | 'RENEWAL_CHANGE';

/** A trial turned formal, a renewal, a cancelled renewal or a renewal with a change: a new expiry. */
export interface RefreshInstance extends BasicCommon {
  activity: 'refreshInstance';
  instanceId: string;
  orderId: string;
  orderLineId: string;
  scene: RefreshScene;
  /** The new expiry, UTC, as an ISO 8601 string (`2022-11-24T02:36:18.256Z`). */
  expireTime: string;
  /** The same instant in Unix milliseconds. */
  expireTimeMs: number;
  /** A new product when the billing cycle changed or a trial turned formal; null otherwise. */
  productId: string | null;
}

export type InstanceStatus = 'FREEZE' | 'UNFREEZE';

/** Freeze (expired or in breach; keep the data) or unfreeze an instance. */
export interface UpdateInstanceStatus extends BasicCommon {
  activity: 'updateInstanceStatus';
  instanceId: string;
  status: InstanceStatus;
}

/** Delete an instance (expired without renewal, or unsubscribed); a repeat succeeds. */
export interface ReleaseInstance extends BasicCommon {
  activity: 'releaseInstance';
  instanceId: string;
  /** The cancelled order when the release follows an unsubscription; null otherwise. */
  orderId: string | null;
  orderLineId: string | null;
}

/** An upgrade order was paid; never apply two upgrades for one orderId. */
export interface UpgradeInstance extends BasicCommon {
  activity: 'upgradeInstance';
  instanceId: string;
  /** The upgrade order. */
  orderId: string;
  orderLineId: string;
  /** Not in the V2 field table; older revisions sent them. Null when absent. */
  productId: string | null;
  skuCode: string | null;
}

/** Optional interface: may a renewal change this instance's specification? */
export interface ChangeInstanceCheck extends BasicCommon {
  activity: 'changeInstanceCheck';
  instanceId: string;
  orderId: string | null;
  orderLineId: string | null;
  /** The target product as received (an object, or a string holding one); null when absent. */
  productInfo: Record<string, unknown> | null;
}

export type BasicBody =
  | NewInstance
  | QueryInstance
  | RefreshInstance
  | UpdateInstanceStatus
  | ReleaseInstance
  | UpgradeInstance
  | ChangeInstanceCheck;

export type BasicActivity = BasicBody['activity'];

/** The body type of each activity, e.g. `BasicBodies['newInstance']`. */
export type BasicBodies = { [A in BasicActivity]: Extract<BasicBody, { activity: A }> };
