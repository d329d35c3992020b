/**
 * The admin API of the audit trail and the sync log (read only, same bearer token as the rest of
 * the admin API). Newest first, filtered server-side, cursor-paginated; the audit room bounds the
 * work of one call and hands back a cursor to continue. The response shapes are a published
 * contract (shared/audit-log.ts): the admin console reads them.
 */
import type Router from '@koa/router';
import { z } from 'zod';
import { AUDIT_KINDS, type AuditLog } from '../shared/audit-log.js';
import { guarded } from '../http/guard.js';
import { tenantIdParam, userNameParam } from '../http/params.js';
import type { AppState } from '../http/state.js';
import { encodeCursor, pageQuery } from './pagination.js';


/** An instant as ISO 8601 (with a date at least) or epoch milliseconds. */
const instant = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^\d{1,15}$/.test(value) ? Number(value) : /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
    if (!Number.isFinite(ms) || ms < 0) {
      ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch milliseconds' });
      return z.NEVER;
    }
    return ms;
  });

const STREAM_ID = /^\d{1,16}-\d{1,19}$/;

const logQuery = pageQuery
  .extend({ from: instant.optional(), to: instant.optional() })
  .refine((q) => q.cursor === undefined || STREAM_ID.test(q.cursor), { message: 'not a cursor returned by this API', path: ['cursor'] });

const auditQuery = logQuery.safeExtend({
  tenant: tenantIdParam.optional(),
  user: userNameParam.optional(),
  client: z.string().min(1).max(256).optional(),
  kind: z.enum(AUDIT_KINDS).optional(),
});

const syncLogQuery = logQuery.safeExtend({
  tenant: tenantIdParam.optional(),
  instance: tenantIdParam.optional(),
  interface: z.string().regex(/^[A-Za-z]{1,64}$/, 'must be an interface name').optional(),
  resultCode: z.string().regex(/^\d{6}$/, 'must be a six-digit result code').optional(),
});

type Window = z.output<typeof logQuery>;
const windowOf = (q: Window) => ({
  limit: q.limit,
  ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
  ...(q.from !== undefined ? { fromMs: q.from } : {}),
  ...(q.to !== undefined ? { toMs: q.to } : {}),
});
const given = <K extends string>(name: K, value: string | undefined) => (value === undefined ? {} : ({ [name]: value } as Record<K, string>));

/** Adds the two readers to the admin router, behind its door (bearer token or console cookie). */
export const logRoutes = (log: AuditLog) => (router: Router<AppState>): void => {
  router.get('/audit', guarded({ query: auditQuery }, async (ctx, { query: q }) => {
    const page = await log.audit({ ...windowOf(q), ...given('tenantId', q.tenant), ...given('userName', q.user), ...given('clientId', q.client), ...(q.kind ? { kind: q.kind } : {}) });
    ctx.body = { events: page.items, nextCursor: encodeCursor(page.nextCursor) };
  }));

  router.get('/sync-log', guarded({ query: syncLogQuery }, async (ctx, { query: q }) => {
    const page = await log.syncLog({ ...windowOf(q), ...given('tenantId', q.tenant), ...given('instanceId', q.instance), ...given('interface', q.interface), ...given('resultCode', q.resultCode) });
    ctx.body = { entries: page.items, nextCursor: encodeCursor(page.nextCursor) };
  }));
};
