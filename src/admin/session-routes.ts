/**
 * The admin API's view of live bridge sessions, per tenant and per user, and the end of one. A
 * session is never named by its id (the cookie) nor by the hash the store keys it by: each listing
 * hands out an opaque handle, the hash sealed with SECRET_KEYS and bound to the tenant, which only
 * this API can open and which names nothing outside that tenant.
 */
import type Router from '@koa/router';
import { z } from 'zod';
import { KbError } from '../shared/errors.js';
import type { Observations } from '../shared/observations.js';
import { guarded } from '../http/guard.js';
import { tenantIdParam, userNameParam } from '../http/params.js';
import { originOf, type AppContext, type AppState } from '../http/state.js';
import type { ListedSession, SessionListing } from '../sessions/session-listing.js';
import type { SecretBox } from '../store/secret-box.js';
import { audited } from './audited.js';
import { pageQuery } from './pagination.js';

export interface SessionRoutesDeps {
  listing: SessionListing;
  secretBox: SecretBox;
  observations: Observations;
}

const handleAad = (tenantId: string) => `admin:session-handle:${tenantId}`;
// A sealed 43-character hash is about 110 characters; anything much longer is not ours.
const handleParam = z.string().regex(/^v1\.[A-Za-z0-9_.-]{20,300}$/, 'is not a session handle handed out by this API');
const tenantPath = z.object({ tenantId: tenantIdParam });
const userPath = z.object({ tenantId: tenantIdParam, userName: userNameParam });
const handlePath = z.object({ tenantId: tenantIdParam, handle: handleParam });
// The sessions of a tenant are one set, read whole: the cursor is the offset in the newest-first list.
const offsetCursor = z.object({ limit: pageQuery.shape.limit, cursor: z.string().regex(/^[0-9]{1,7}$/, 'not a cursor returned by this API').optional() });

/** Who did it and from where, for the audit trail. */

export function sessionRoutes(router: Router<AppState>, deps: SessionRoutesDeps): void {
  const view = (tenantId: string) => (s: ListedSession) => {
    const r = s.record;
    return {
      handle: deps.secretBox.seal(r.sidHash, handleAad(tenantId)),
      tenantId: r.tenantId,
      userName: r.userName,
      name: r.name,
      role: r.role,
      orgCode: r.orgCode,
      email: r.email,
      mobile: r.mobile,
      loginProtocol: r.method,
      createdAt: iso(r.createdAt),
      lastSeenAt: s.lastSeenAt === null ? null : iso(s.lastSeenAt),
      idleExpiresAt: iso(s.idleExpiresAt),
      absoluteExpiresAt: iso(r.absoluteExpiresAt),
      expiresAt: iso(Math.min(s.idleExpiresAt, r.absoluteExpiresAt)),
      // Whether tenant-IdP tokens are held (sealed, never shown) and until when they run.
      upstreamTokens: r.upstream !== null,
      upstreamExpiresAt: r.upstreamExpiresAt === null ? null : iso(r.upstreamExpiresAt),
      subscription: r.subscription ?? null,
    };
  };

  router.get('/tenants/:tenantId/sessions', guarded({ params: tenantPath, query: offsetCursor }, async (ctx, { params, query }) => {
    const all = await deps.listing.listTenant(params.tenantId);
    const from = query.cursor === undefined ? 0 : Number(query.cursor);
    const page = all.slice(from, from + query.limit);
    const next = from + page.length < all.length ? String(from + page.length) : null;
    ctx.body = { sessions: page.map(view(params.tenantId)), total: all.length, nextCursor: next };
  }));

  router.get('/tenants/:tenantId/users/:userName/sessions', guarded({ params: userPath }, async (ctx, { params }) => {
    const all = await deps.listing.listUser(params.tenantId, params.userName);
    ctx.body = { sessions: all.map(view(params.tenantId)) };
  }));

  router.delete('/tenants/:tenantId/sessions/:handle', audited(deps.observations, 'revoke_session', guarded({ params: handlePath }, async (ctx, { params }) => {
    let sidHash: string;
    try {
      sidHash = deps.secretBox.open(params.handle, handleAad(params.tenantId));
    } catch {
      throw new KbError('invalid_parameter', 'handle: is not a session handle of this tenant handed out by this API', { details: { field: 'handle' } });
    }
    const ended = await deps.listing.revokeOne(params.tenantId, sidHash);
    ctx.state.log.info({ tenantId: params.tenantId, revoked: ended ? 1 : 0 }, 'one session revoked by an operator');
    if (ended) deps.observations.emit({ kind: 'session_end', cause: 'admin', tenantId: params.tenantId, count: 1, ...originOf(ctx) });
    ctx.body = { revoked: ended ? 1 : 0 };
  })));
}

const iso = (ms: number) => new Date(ms).toISOString();
