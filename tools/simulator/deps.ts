/**
 * What every simulator route needs, resolved once from the options: the tenants by id, the grant
 * store, the fault switches and the call counters. Routes receive this object as their argument.
 */
import type { ParameterizedContext, Middleware } from 'koa';
import type { FaultRegistry } from './faults.js';
import type { Grants } from './grants.js';
import type { HangTracker } from './hang-tracker.js';
import type { OrderBook } from './orders.js';
import type { SimSeller, SimStats, SimTenant, SimUser } from './types.js';

export interface SimDeps {
  appId: string;
  callbackUrl: string;
  accessTokenTtlS: number;
  expiresInAsString: boolean;
  omitRefreshToken: boolean;
  tenants: ReadonlyMap<string, SimTenant>;
  grants: Grants;
  faults: FaultRegistry;
  hangs: HangTracker;
  stats: SimStats;
  now: () => number;
  /** The seller AK/SK the order query's gateway checks signatures with. */
  seller: SimSeller;
  orders: OrderBook;
}

/** Set by the tenant middleware on every `/idp/:tenantId/…` route. */
export interface SimState {
  tenant: SimTenant;
  /** The token endpoint's form, read before the fault point so refreshes can be counted. */
  form?: URLSearchParams;
}

export type SimContext = ParameterizedContext<SimState, { params: Record<string, string> }>;
export type SimMiddleware = Middleware<SimState>;

export const findUser = (tenant: SimTenant, userName: string): SimUser | undefined => tenant.users.find((u) => u.userName === userName);

/** The department name of a user's orgCode, or the code itself when the tenant lists no such department. */
export const orgName = (tenant: SimTenant, orgCode: string): string => tenant.orgs?.find((o) => o.orgCode === orgCode)?.orgName ?? orgCode;
