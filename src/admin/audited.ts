/**
 * Every mutating admin call is reported once (admin_action, for the audit trail): success, or
 * refused with its error code — a refusal of the edge guard included. The tenant and user of the
 * path are named only when they are valid identifiers (a refused path may hold anything).
 */
import { toKbError } from '../shared/errors.js';
import { isTenantId, isUserName } from '../shared/identifiers.js';
import type { Observations } from '../shared/observations.js';
import { originOf, type AppMiddleware } from '../http/state.js';

export function audited(observations: Observations, action: string, handler: AppMiddleware): AppMiddleware {
  return async (ctx, next) => {
    const params = ((ctx as { params?: Record<string, string> }).params ?? {}) as Record<string, string | undefined>;
    const who = {
      ...(params.tenantId !== undefined && isTenantId(params.tenantId) ? { tenantId: params.tenantId } : {}),
      ...(params.userName !== undefined && isUserName(params.userName) ? { userName: params.userName } : {}),
      ...originOf(ctx),
    };
    try {
      await handler(ctx, next);
    } catch (err) {
      observations.emit({ kind: 'admin_action', action, outcome: 'refused', reason: toKbError(err).code, ...who });
      throw err;
    }
    observations.emit({ kind: 'admin_action', action, outcome: 'success', ...who });
  };
}
