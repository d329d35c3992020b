/**
 * The records the directory keeps, as stored (JSON in Redis hashes). Reads are parsed
 * defensively: a record that does not parse is treated as absent and reported, never trusted.
 */
import type { SyncUser } from '../koogallery/schemas.js';

export interface TenantRecord {
  tenantId: string;
  tenantCode: string;
  name: string;
  domainName: string;
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
  instanceId: string;
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
    instanceId: t.instanceId,
    orderId: t.orderId,
    test: t.test ? '1' : '0',
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
}
