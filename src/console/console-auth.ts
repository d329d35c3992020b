/**
 * The admin API's second door (admin/bearer-auth.ts's ConsoleAuth): a console session cookie that
 * opens, from this site, with the CSRF token on every state-changing call. The bearer token is not
 * involved: a request carrying an Authorization header never reaches this check.
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import type { ConsoleSessions } from './console-session.js';
import { checkConsoleRequest } from './csrf.js';

export function consoleAuth(sessions: ConsoleSessions, publicUrl: string) {
  return {
    async check(ctx: AppContext): Promise<boolean> {
      const session = await sessions.read(ctx);
      if (session === 'none') return false;
      if (session === 'invalid') throw new KbError('unauthorized', 'the admin console session has expired or was signed out: sign in again');
      checkConsoleRequest(ctx, publicUrl, session.csrf);
      return true;
    },
  };
}
