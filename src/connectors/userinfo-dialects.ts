/**
 * One user shape out of the tenant IdPs' several (spec §7 userinfo, §8 known unknowns).
 *
 * KooGallery's tenant IdP is OneAccess-style and answers in camelCase, but some tenants'
 * domainName may point at Huawei OrgID, which answers in snake_case; and CAS attributes carry the
 * same facts again. A dialect is a table "our field ← the keys that may hold it, best first",
 * chosen per answer by a detector, so a new dialect is a new table, not new code.
 * Only `userName` is guaranteed by the documentation; every other field may be null.
 */
import { KbError } from '../shared/errors.js';

export interface IdpUser {
  userName: string;
  name: string | null;
  email: string | null;
  mobile: string | null;
  role: 'user' | 'admin' | null;
  orgCode: string | null;
  orgName: string | null;
  tenant: string | null;
  userId: string | null;
}

type Field = keyof IdpUser;

export interface UserinfoDialect {
  /** For logs and tests. */
  name: string;
  /** Whether an answer is in this dialect; the first dialect that matches is used. */
  detect(raw: Record<string, unknown>): boolean;
  /** For each field, the answer's keys that may hold it, best first. */
  keys: Record<Field, readonly string[]>;
}

/** OneAccess / KooGallery tenant IdP (spec §7): camelCase; accName/loginName stand in for userName. */
export const ONEACCESS_DIALECT: UserinfoDialect = {
  name: 'oneaccess',
  detect: () => true,
  keys: {
    userName: ['userName', 'accName', 'loginName'],
    name: ['name', 'displayName'],
    email: ['email'],
    mobile: ['mobile', 'phoneNumber'],
    role: ['role'],
    orgCode: ['organizationCode', 'orgCode'],
    orgName: ['organizationName', 'orgName'],
    tenant: ['tenant', 'tenantId'],
    userId: ['userId', 'id', 'sub'],
  },
};

// Keys only the snake_case dialect uses; one of them is enough to tell it apart.
const SNAKE_MARKERS = ['user_name', 'user_id', 'tenant_id', 'tenant_name', 'org_code', 'org_name', 'login_name'];

/**
 * Huawei OrgID (spec §8): snake_case. `tenant_id` is preferred over `tenant_name` because the
 * bridge compares it with the tenant id of the login callback; a name is only a fallback.
 */
export const ORGID_DIALECT: UserinfoDialect = {
  name: 'orgid',
  detect: (raw) => SNAKE_MARKERS.some((key) => key in raw),
  keys: {
    userName: ['user_name', 'login_name', 'acc_name', 'userName'],
    name: ['name', 'display_name', 'nick_name'],
    email: ['email'],
    mobile: ['mobile', 'phone_number'],
    role: ['role'],
    orgCode: ['org_code', 'organization_code'],
    orgName: ['org_name', 'organization_name'],
    tenant: ['tenant_id', 'tenant', 'tenant_name'],
    userId: ['user_id', 'id', 'sub'],
  },
};

/** Snake_case first: its detector is specific, OneAccess is the catch-all. */
export const DEFAULT_DIALECTS: readonly UserinfoDialect[] = [ORGID_DIALECT, ONEACCESS_DIALECT];

/**
 * A field value as text: strings trimmed (the directory trims the same names on sync, so both sides
 * compare equal), finite numbers as text (ids are sometimes numbers), the first usable element of
 * an array (CAS attributes repeat), anything else or blank as absent.
 */
function text(value: unknown): string | null {
  if (Array.isArray(value)) {
    for (const item of value) {
      const t = text(item);
      if (t !== null) return t;
    }
    return null;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function pick(raw: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const key of keys) {
    if (!Object.hasOwn(raw, key)) continue;
    const value = text(raw[key]);
    if (value !== null) return value;
  }
  return null;
}

/** Roles other than the two documented ones are dropped rather than guessed at. */
function role(value: string | null): IdpUser['role'] {
  const lower = value?.toLowerCase();
  return lower === 'user' || lower === 'admin' ? lower : null;
}

/**
 * Normalizes a userinfo answer or a CAS attribute set. `fallbackUserName` is used only when no key
 * of the dialect names the user (CAS: the `cas:user` element).
 */
export function normalizeUser(
  raw: unknown,
  options: { dialects?: readonly UserinfoDialect[]; fallbackUserName?: string | null } = {},
): IdpUser {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new KbError('idp_bad_response', 'userinfo answer is not a JSON object');
  }
  const record = raw as Record<string, unknown>;
  const dialects = options.dialects ?? DEFAULT_DIALECTS;
  const dialect = dialects.find((d) => d.detect(record)) ?? ONEACCESS_DIALECT;
  const get = (field: Field): string | null => pick(record, dialect.keys[field]);
  const userName = get('userName') ?? text(options.fallbackUserName);
  if (userName === null) throw new KbError('idp_bad_response', 'userinfo has no userName');
  return {
    userName,
    name: get('name'),
    email: get('email'),
    mobile: get('mobile'),
    role: role(get('role')),
    orgCode: get('orgCode'),
    orgName: get('orgName'),
    tenant: get('tenant'),
    userId: get('userId'),
  };
}
