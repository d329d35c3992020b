/**
 * The admin read API for the merchant's operators. Secrets never appear: an app credential shows
 * its clientId and whether its secret is readable, nothing more.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import type { Directory } from '../directory/directory.js';
import { isAuthorized, type TenantRecord, type UserRecord } from '../directory/records.js';
import { subscriptionView } from '../directory/subscription.js';
import { guarded } from '../http/guard.js';
import { tenantIdParam, userNameParam } from '../http/params.js';
import { originOf, type AppState } from '../http/state.js';
import type { SessionStore } from '../sessions/session-store.js';
import { audited } from './audited.js';
import type { SessionListing } from '../sessions/session-listing.js';
import type { SecretBox } from '../store/secret-box.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import { bearerAuth, type ConsoleAuth } from './bearer-auth.js';
import { oidcRoutes, type OidcReaders } from './oidc-routes.js';
import { sessionRoutes } from './session-routes.js';
import { encodeCursor, pageOf, pageQuery } from './pagination.js';

const tenantPath = z.object({ tenantId: tenantIdParam });
const instancePath = z.object({ instanceId: tenantIdParam });
const userPath = z.object({ tenantId: tenantIdParam, userName: userNameParam });

export interface AdminDeps {
  directory: Directory;
  sessions: Pick<SessionStore, 'revokeUser'>;
  adminToken: string | null;
  appId: string | null;
  /** The console's cookie sessions, accepted where no bearer token is sent (null: bearer only). */
  consoleAuth?: ConsoleAuth | null;
  /** Live sessions per tenant and user, and the end of one (with secretBox sealing their handles). */
  listing?: SessionListing;
  secretBox?: SecretBox;
  /** The OpenID provider's clients and signing keys. */
  oidc?: OidcReaders;
  /** Each state-changing call is reported as an `admin_action`, and refused bearer tokens (the audit trail listens). */
  observations?: Observations;
  /**
   * Routes other files of this room add to the same router, behind the same door (bearer token or
   * console cookie): e.g. the audit trail and sync log (log-routes.ts).
   */
  more?: ReadonlyArray<(router: Router<AppState>) => void>;
}

export function adminRoutes(deps: AdminDeps): Router<AppState> {
  const { directory } = deps;
  const router = new Router<AppState>({ prefix: '/admin/api' });
  const observations = deps.observations ?? NO_OBSERVATIONS;
  router.use(bearerAuth(deps.adminToken, { consoleAuth: deps.consoleAuth ?? null, observations }));
  if (deps.listing && deps.secretBox) sessionRoutes(router, { listing: deps.listing, secretBox: deps.secretBox, observations });
  if (deps.oidc) oidcRoutes(router, deps.oidc);
  for (const add of deps.more ?? []) add(router);

  const requireTenant = async (tenantId: string) => {
    const found = await directory.findTenant(tenantId);
    if (!found) throw new KbError('not_found', `tenant ${JSON.stringify(tenantId)} is not in the directory`);
    return found;
  };

  router.get('/tenants', guarded({ query: pageQuery }, async (ctx, { query }) => {
    const { tenants, next } = await directory.listTenants(pageOf(query));
    const view = tenants.map((t) => tenantView(t.tenantId, t.synced, t.tenant));
    ctx.body = { tenants: view.filter((t) => !t.test), testTenants: view.filter((t) => t.test), nextCursor: encodeCursor(next) };
  }));

  router.get('/tenants/:tenantId', guarded({ params: tenantPath }, async (ctx, { params }) => {
    const summary = await requireTenant(params.tenantId);
    const [apps, subscription] = await Promise.all([directory.listApps(summary.tenantId), directory.subscriptionOf(summary.tenantId)]);
    const credentialsPresent = apps.some((a) => deps.appId === null || a.appId === deps.appId);
    ctx.body = {
      ...tenantView(summary.tenantId, summary.synced, summary.tenant),
      credentialsPresent,
      apps: apps.map((a) => ({ ...a, current: deps.appId === null || a.appId === deps.appId })),
      subscription: subscription === null ? null : { ...subscriptionView(subscription), missingInstances: subscription.missing, orders: subscription.instances.map((i) => ({ instanceId: i.instanceId, order: i.order })) },
      signIn: signInBlockers(summary.tenant, credentialsPresent, subscription?.state ?? 'none'),
    };
  }));

  router.get('/tenants/:tenantId/users', guarded({ params: tenantPath, query: pageQuery }, async (ctx, { params, query }) => {
    const { tenantId } = await requireTenant(params.tenantId);
    const { users, next } = await directory.listUsers(tenantId, pageOf(query));
    ctx.body = { users: users.map(userView), nextCursor: encodeCursor(next) };
  }));

  router.get('/tenants/:tenantId/orgs', guarded({ params: tenantPath }, async (ctx, { params }) => {
    const { tenantId } = await requireTenant(params.tenantId);
    const orgs = await directory.listOrgs(tenantId);
    ctx.body = { count: orgs.length, tree: await directory.getOrgTree(tenantId) };
  }));

  router.delete('/tenants/:tenantId/users/:userName/sessions', audited(observations, 'revoke_user_sessions', guarded({ params: userPath }, async (ctx, { params }) => {
    const revoked = await deps.sessions.revokeUser(params.tenantId, params.userName);
    ctx.state.log.info({ tenantId: params.tenantId, revoked }, 'sessions revoked by an operator');
    if (revoked > 0) observations.emit({ kind: 'session_end', cause: 'admin', tenantId: params.tenantId, userName: params.userName, count: revoked, ...originOf(ctx) });
    ctx.body = { revoked };
  })));

  router.get('/instances', guarded({ query: pageQuery }, async (ctx, { query }) => {
    const { instances, next } = await directory.listInstances(pageOf(query));
    ctx.body = { instances: instances.filter((i) => !i.test), testInstances: instances.filter((i) => i.test), nextCursor: encodeCursor(next) };
  }));

  router.get('/instances/:instanceId', guarded({ params: instancePath }, async (ctx, { params }) => {
    const instance = await directory.getInstance(params.instanceId);
    if (!instance) throw new KbError('not_found', `instance ${JSON.stringify(params.instanceId)} is not known`);
    ctx.body = instance;
  }));

  router.delete('/test-data', audited(observations, 'purge_test_data', async (ctx) => {
    const purged = await directory.purgeTestData();
    ctx.state.log.info({ purged }, 'test data purged');
    ctx.body = { purged };
  }));

  return router;
}

/** Why a tenant cannot sign in now, in words for an operator; empty when it can. */
function signInBlockers(t: TenantRecord | null, credentialsPresent: boolean, state: string): { possible: boolean; reasons: string[] } {
  const reasons: string[] = [];
  if (t === null) reasons.push('no tenantSync has arrived for this tenant yet');
  else if (!t.domainName) reasons.push(`no usable sign-in address: ${t.domainProblem || 'tenantSync sent none'}`);
  if (!credentialsPresent) reasons.push('no applicationSync credentials for this app yet');
  if (state !== 'active') reasons.push(`subscription is ${state}`);
  return { possible: reasons.length === 0, reasons };
}

function tenantView(tenantId: string, synced: boolean, t: TenantRecord | null) {
  return {
    tenantId,
    synced,
    tenantCode: t?.tenantCode ?? null,
    name: t?.name ?? null,
    domainName: t?.domainName || null,
    ...(t?.domainProblem ? { domainNameReceived: t.domainNameRaw ?? null, domainProblem: t.domainProblem } : {}),
    instanceId: t?.instanceId ?? null,
    test: t?.test ?? false,
    createdAt: t?.createdAt ?? null,
    updatedAt: t?.updatedAt ?? null,
  };
}

const userView = (u: UserRecord) => ({ ...u, authorized: isAuthorized(u) });
