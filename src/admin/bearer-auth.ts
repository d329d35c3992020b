import { sameSecret } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import { originOf, type AppContext, type AppMiddleware } from '../http/state.js';

/**
 * The operators' console signs its calls with a cookie instead of the token (src/console/): it is
 * handed in by app.ts, so this room does not depend on the console. `check` answers false when the
 * request carries no console session at all; it throws (`unauthorized`, `cross_origin_refused`)
 * when it carries one that is not valid, or a state-changing call fails the CSRF check.
 */
export interface ConsoleAuth {
  check(ctx: AppContext): Promise<boolean>;
}

export interface BearerAuthOptions {
  /** The console's cookie sessions, accepted where no Authorization header is sent (null: bearer only). */
  consoleAuth?: ConsoleAuth | null;
  /** Where refused tokens are reported (the audit trail listens). */
  observations?: Observations;
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so the comparison is
 * constant-time whatever the length of what was sent. A null token means the admin API is off.
 * A request with an Authorization header is judged by it alone (a cookie never rescues a wrong
 * token); without one, the console's session cookie may stand in (see ConsoleAuth).
 * A refused token is reported (admin_action `authenticate`, refused) for the audit trail; what was
 * sent is never part of it.
 */
export function bearerAuth(token: string | null, { consoleAuth = null, observations = NO_OBSERVATIONS }: BearerAuthOptions = {}): AppMiddleware {
  return async (ctx, next) => {
    if (token === null) throw new KbError('admin_disabled', 'the admin API is disabled: set ADMIN_TOKEN to enable it');
    const header = ctx.get('authorization');
    if (header === '' && consoleAuth !== null && (await consoleAuth.check(ctx))) {
      await next();
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match || !sameSecret(match[1]!, token)) {
      observations.emit({ kind: 'admin_action', action: 'authenticate', outcome: 'refused', reason: 'unauthorized', ...originOf(ctx) });
      ctx.set('WWW-Authenticate', 'Bearer realm="koobridge-admin"');
      throw new KbError('unauthorized', 'a valid admin bearer token is required');
    }
    await next();
  };
}
