/**
 * The normalized shapes of the five kit bodies (spec §5), as the rest of koobridge sees them once
 * schemas.ts has accepted a body: every documented spelling folded into one, strings trimmed,
 * absent optional values as `null` (or a missing key for SyncUser's optional extras).
 */

/** 0 delete, 1 add, 2 modify. */
export type Flag = 0 | 1 | 2;
/** 0 production data, 1 debug data. */
export type TestFlag = 0 | 1;

export interface Common {
  /** '' when absent or empty: KooGallery calls during the seller's own credential application. */
  instanceId: string;
  /** '' when absent or empty, as instanceId. */
  orderId: string;
  testFlag: TestFlag;
  /** GMT+8 `yyyyMMddHHmmssSSS`, so versions compare as strings; null when absent. */
  timeStamp: string | null;
}

export interface TenantSync extends Common {
  tenantId: string;
  flag: Flag;
  tenantCode: string | null;
  name: string | null;
  /**
   * The tenant IdP's base URL: https (unless insecure IdPs are allowed), no trailing slash. Null
   * when absent, and when the value received cannot serve a login (see domainProblem).
   */
  domainName: string | null;
  /**
   * domainName as received (trimmed); null when absent. For operators only, shown as text, never
   * as a link and never used to reach a network address. Always set by parseKitBody (optional in
   * the type so existing literals stay valid).
   */
  domainNameRaw?: string | null;
  /**
   * Why domainNameRaw cannot serve a login (a sentence for operators), e.g. a debug call's host
   * without a scheme; null when domainName is usable or absent. Always set by parseKitBody.
   */
  domainProblem?: string | null;
}

export interface ApplicationSync extends Common {
  tenantId: string;
  appId: string;
  flag: Flag;
  clientId: string | null;
  /** Still RSA-OAEP encrypted (client-secret.ts decrypts it). Always null for a delete. */
  clientSecret: string | null;
}

export interface SyncUser {
  userName: string;
  name: string | null;
  orgCode: string | null;
  role: 'user' | 'admin' | null;
  enable: boolean | null;
  position?: string;
  employeeCode?: string;
  /** 1 regular, 2 intern, 3 dispatched, 4 outsourced. */
  employeeType?: 1 | 2 | 3 | 4;
  mobile?: string;
  email?: string;
  workPlace?: string;
  entryDate?: string;
}

export interface AuthSync extends Common {
  tenantId: string;
  appId: string;
  /** 0 delete, 1 add, 2 modify, 3 cancel authorization. */
  flag: 0 | 1 | 2 | 3;
  /** GMT+8 `yyyyMMddHHmmssSSS`; null when absent. */
  currentSyncTime: string | null;
  userList: SyncUser[];
}

export interface SingleOrgSync extends Common {
  tenantId: string;
  flag: Flag;
  orgCode: string;
  orgName: string | null;
  /** '' = top level. */
  parentCode: string;
}

export interface OrgInfo {
  orgCode: string;
  orgName: string;
  /** '' = top level. */
  parentCode: string;
}

export interface AllOrgSync extends Common {
  tenantId: string;
  orgInfoList: OrgInfo[];
}

export type KitInterface = 'tenantSync' | 'applicationSync' | 'authSync' | 'singleOrgSync' | 'allOrgSync';

/** What parseKitBody returns for each interface. */
export interface KitBodies {
  tenantSync: TenantSync;
  applicationSync: ApplicationSync;
  authSync: AuthSync;
  singleOrgSync: SingleOrgSync;
  allOrgSync: AllOrgSync;
}

export interface KitParseOptions {
  /** KOO_ALLOW_INSECURE_IDP=1: accept http:// and private-address IdPs (development only). */
  allowInsecureIdp: boolean;
}
