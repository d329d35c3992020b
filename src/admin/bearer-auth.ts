import { sameSecret } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import type { AppMiddleware } from '../http/state.js';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so the comparison is
 * constant-time whatever the length of what was sent. A null token means the admin API is off.
 * A refused token is reported (admin_action `authenticate`, refused) for the audit trail; what was
 * sent is never part of it.
 */
export function bearerAuth(token: string | null, observations: Observations = NO_OBSERVATIONS): AppMiddleware {
  return async (ctx, next) => {
    if (token === null) throw new KbError('admin_disabled', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'));
    if (!match || !sameSecret(match[1]!, token)) {
      observations.emit({ kind: 'admin_action', action: 'authenticate', outcome: 'refused', reason: 'unauthorized', sourceIp: ctx.ip, requestId: ctx.state.requestId });
      ctx.set('WWW-Authenticate', 'Bearer realm="koobridge-admin"');
      throw new KbError('unauthorized', 'a valid admin bearer token is required');
    }
    await next();
  };
}
