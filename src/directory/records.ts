/**
 * The records the directory keeps, as stored (JSON in Redis hashes). Reads are parsed
 * defensively: a record that does not parse is treated as absent and reported, never trusted.
 */
import type { OrderFacts } from '../koogallery/schemas-order.js';
import type { SyncUser } from '../koogallery/schemas.js';

export type { OrderFacts } from '../koogallery/schemas-order.js';

export interface TenantRecord {
  tenantId: string;
  tenantCode: string;
  name: string;
  /** The usable https base URL of the tenant's IdP; empty when none arrived (see domainProblem). */
  domainName: string;
  /** What tenantSync sent when it was not usable (interface debugging sends made-up values). */
  domainNameRaw?: string;
  /** Why domainName is empty, for operators; empty when usable. */
  domainProblem?: string;
  instanceId: string;
  orderId: string;
  test: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AppRecord {
  appId: string;
  clientId: string;
  /** Sealed with the secret box (AES-256-GCM), bound to tenant and app. Never in clear. */
  clientSecret: string;
  instanceId: string;
  test: boolean;
  updatedAt: string;
}

export type InstanceStatus = 'active' | 'frozen' | 'released';

/** A purchase of the product (newInstance, spec §6): one per order line, for life. */
export interface InstanceRecord {
  instanceId: string;
  orderId: string;
  orderLineId: string;
  status: InstanceStatus;
  test: boolean;
  /** ISO time the subscription ends (refreshInstance), null until KooGallery says. */
  expireTime: string | null;
  productId: string | null;
  /** The last refreshInstance scene (TRIAL_TO_FORMAL, RENEWAL, …). */
  lastScene: string | null;
  /** Order ids already applied by upgradeInstance: never twice for one order (spec §6). */
  upgradeOrderIds: string[];
  /** The order as KooGallery's order query answered it; null until fetched. */
  order: OrderFacts | null;
  createdAt: string;
  updatedAt: string;
}

export type UserStatus = 'active' | 'cancelled';

/** The optional KooGallery user fields, kept as received (spec §5.3). */
export const OPTIONAL_USER_FIELDS = ['position', 'employeeCode', 'employeeType', 'mobile', 'email', 'workPlace', 'entryDate'] as const;
type OptionalUserFields = Pick<SyncUser, (typeof OPTIONAL_USER_FIELDS)[number]>;

export interface UserRecord extends OptionalUserFields {
  userName: string;
  name: string | null;
  orgCode: string | null;
  role: 'user' | 'admin' | null;
  enable: boolean | null;
  status: UserStatus;
  appId: string;
  /** The instance of the last grant. */
  instanceId: string;
  /** Every instance whose grant the user holds (several instances may bind one tenant). */
  instanceIds?: string[];
  test: boolean;
  /** The KooGallery sync time (yyyyMMddHHmmssSSS, GMT+8) this record was written for. */
  syncTime: string;
  updatedAt: string;
}

export interface OrgRecord {
  orgCode: string;
  orgName: string;
  parentCode: string;
  test: boolean;
}

/** A user may sign in only while KooGallery's grant is active and enabled. */
export const isAuthorized = (user: UserRecord | null): user is UserRecord =>
  user !== null && user.status === 'active' && user.enable === true;

export function parseRecord<T>(raw: string | null | undefined): T | null {
  if (raw === null || raw === undefined) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? (value as T) : null;
  } catch {
    return null;
  }
}

export function tenantFromHash(hash: Record<string, string>): TenantRecord | null {
  if (!hash.tenantId) return null;
  return {
    tenantId: hash.tenantId,
    tenantCode: hash.tenantCode ?? '',
    name: hash.name ?? '',
    domainName: hash.domainName ?? '',
    ...(hash.domainProblem ? { domainProblem: hash.domainProblem, domainNameRaw: hash.domainNameRaw ?? '' } : {}),
    instanceId: hash.instanceId ?? '',
    orderId: hash.orderId ?? '',
    test: hash.test === '1',
    createdAt: hash.createdAt ?? '',
    updatedAt: hash.updatedAt ?? '',
  };
}

export function tenantToHash(t: TenantRecord): Record<string, string> {
  return {
    tenantId: t.tenantId,
    tenantCode: t.tenantCode,
    name: t.name,
    domainName: t.domainName,
    domainProblem: t.domainProblem ?? '',
    domainNameRaw: t.domainNameRaw ?? '',
    instanceId: t.instanceId,
    orderId: t.orderId,
    test: t.test ? '1' : '0',
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
