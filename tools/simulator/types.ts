/**
 * The public shape of the KooGallery simulator: the made-up marketplace data it serves, its fault
 * switches, its options and the handle tests hold. Everything here is a contract others code
 * against, so names follow the brief exactly.
 */
import type Koa from 'koa';

export interface SimUser {
  userName: string;
  name: string;
  role: 'user' | 'admin';
  orgCode: string;
  email?: string;
  mobile?: string;
  /** Default true. Only authSync carries it: the IdP still signs a disabled user in, as KooGallery does. */
  enable?: boolean;
}

export interface SimOrg {
  orgCode: string;
  orgName: string;
  parentCode: string;
}

export interface SimTenant {
  tenantId: string;
  tenantCode: string;
  name: string;
  clientId: string;
  clientSecret: string;
  users: SimUser[];
  orgs?: SimOrg[];
  /**
   * What userinfo and CAS attributes say in `tenant`: the tenant id (KooGallery, aPaaS domainId;
   * the default) or the enterprise code (Huawei OrgID's "租户code"), spec §7 "Login details found later".
   */
  tenantClaim?: 'id' | 'code';
}

/** One product of an order line, spelled as Huawei's examples spell it (spec §9 did not capture the names). */
export interface SimProduct {
  productId: string;
  skuCode: string;
  productName: string;
  linearValue?: number;
}

export interface SimOrderLine {
  orderLineId: string;
  /** ON_DEMAND, ONE_TIME, PERIOD, ON_DEMAND_PKG (or any other word, to test a client's tolerance). */
  chargingMode: string;
  periodType?: string;
  periodNumber?: number;
  /** UTC yyyyMMddHHmmss; absent for what does not expire. */
  expireTime?: string;
  productInfo: SimProduct[];
}

/** An order as the order query answers it (`orderInfo`, spec §9). */
export interface SimOrder {
  orderId: string;
  /** NEW, TRIAL, TRIAL_TO_FORMAL, UNSUBSCRIBE, RENEW, CHANGE (or any other word). */
  orderType: string;
  /** UTC yyyyMMddHHmmss. */
  createTime: string;
  orderLine: SimOrderLine[];
  buyerInfo: { customerId: string; customerName?: string; userId?: string; userName?: string; mobilePhone?: string; email?: string };
  extendParams: { name: string; value: string }[];
}

/**
 * A purchase to record: anything left out gets a plausible value — a generated `CS…` orderId, NEW,
 * now, one PERIOD line of one year for the demo product (line ids `<orderId>-000001`, …).
 */
export interface SimOrderInput {
  orderId?: string;
  orderType?: string;
  createTime?: string;
  orderLine?: Partial<Omit<SimOrderLine, 'orderLineId'>>[];
  buyerInfo?: SimOrder['buyerInfo'];
  extendParams?: SimOrder['extendParams'];
}

/** The seller account's AK/SK, which the order query's gateway checks signatures with. */
export interface SimSeller {
  accessKey: string;
  secretKey: string;
}

export const FAULT_ENDPOINTS = ['token', 'userinfo', 'serviceValidate', 'authorize', 'casLogin', 'logout'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export interface SimFaults {
  delayMs?: number;
  status500?: boolean;
  malformedJson?: boolean;
  hang?: boolean;
  /** Default: the back-channel endpoints (token, userinfo, serviceValidate). */
  endpoints?: FaultEndpoint[];
}

export interface SimulatorOptions {
  /** Where the simulator is reachable, e.g. http://127.0.0.1:4000 (no trailing slash). */
  baseUrl: string;
  tenants: SimTenant[];
  /** The merchant app's appId (unified login `appId`). */
  appId: string;
  /** The merchant's registered callback for the unified login (bridge /sso/callback). */
  callbackUrl: string;
  now?: () => number;
  /** Default 5 min. */
  codeTtlMs?: number;
  /** Default 5 min. */
  ticketTtlMs?: number;
  /** Default 7200, as documented. */
  accessTokenTtlS?: number;
  /** Send expires_in as a string (a documented variant). */
  expiresInAsString?: boolean;
  /** Send no refresh_token (a documented variant). */
  omitRefreshToken?: boolean;
  /** The seller AK/SK the order query accepts; default DEMO_SELLER. */
  seller?: SimSeller;
}

export interface SyncTarget {
  /** The bridge's production address, e.g. http://127.0.0.1:3000/produce. */
  productionUrl: string;
  accessKey: string;
  /** The bridge's RSA public key (SPKI PEM): applicationSync encrypts each clientSecret with it. */
  publicKeyPem: string;
  /** The appId the syncs are for (the bridge's KOO_APP_ID). */
  appId: string;
  /** Clock for signatures and sync times; default the wall clock (not the simulator's `now`). */
  now?: () => number;
}

export interface SimStats {
  tokenCalls: number;
  refreshCalls: number;
  userinfoCalls: number;
  validateCalls: number;
}

export interface Simulator {
  /** Mount with app.listen: the server it returns also ends hung (fault `hang`) requests on close(). */
  app: Koa;
  /** `${baseUrl}/idp/${tenantId}` */
  domainName(tenantId: string): string;
  faults: { set(tenantId: string, f: SimFaults): void; clear(tenantId?: string): void };
  /** Test helpers: mint a code / ticket as if the user had logged in (no browser). */
  issueCode(tenantId: string, userName: string, redirectUri?: string): string;
  issueTicket(tenantId: string, userName: string, service: string): string;
  /**
   * The aPaaS workbench's tile: the authorize URL the workbench itself opens, with our callback as
   * redirect_uri and the workbench's own `state` (spec §7 "Login details found later").
   */
  workbenchAuthorizeUrl(tenantId: string, state: string): string;
  /** Revoke every refresh token of a tenant (to test refresh failures). */
  revokeRefreshTokens(tenantId: string): void;
  stats(): SimStats;
  /**
   * Pushes tenantSync, applicationSync, authSync and allOrgSync for every tenant to the bridge,
   * signed with accessKey; throws with the resultMsg if any call does not answer 000000.
   */
  syncTo(bridge: SyncTarget): Promise<void>;
  /**
   * The order query's book (`GET /api/mkp-openapi-public/global/v1/order/query`): the documented
   * debug orders (MOCKPERIODYEARNEW, …) always; `add` records a purchase and returns it as the query
   * will answer it.
   */
  orders: { add(input?: SimOrderInput): SimOrder };
}
