/**
 * GET /auth/check ahead of the rest of the middleware: a reverse proxy calls it for every request
 * of every app behind it, so it skips what only matters for other routes (request ids, security
 * headers for pages, route tables). It still answers exactly as the session API does, honours and
 * echoes an incoming X-Request-Id (when plain, see http/request-id.ts), logs a refusal at info with
 * its reason, and a failure is logged and answered as JSON with a stable code.
 */
import { jsonErrorBody, reportError } from '../http/error-report.js';
import { HTTP_STATUS } from '../http/status.js';
import type { AppMiddleware } from '../http/state.js';
import { requestIdOf } from '../http/request-id.js';
import type { Logger } from '../shared/logger.js';
import type { LoginDeps } from './deps.js';
import { forwardAuth } from './session-api.js';

export const FORWARD_AUTH_PATH = '/auth/check';

export function forwardAuthFastPath(deps: LoginDeps, logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    if (ctx.path !== FORWARD_AUTH_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');
    const reqId = requestIdOf(ctx);
    ctx.set('X-Request-Id', reqId);
    try {
      const refusal = await forwardAuth(deps, ctx);
      // Checks come with every request of the apps behind the proxy: a pass is logged at debug only.
      if (refusal) logger.info({ reqId, method: ctx.method, path: ctx.path, status: ctx.status, reason: refusal }, 'forward-auth refused');
      else if (logger.isLevelEnabled('debug')) logger.debug({ reqId, method: ctx.method, path: ctx.path, status: ctx.status }, 'request');
    } catch (thrown) {
      const err = reportError(logger, thrown, 'forward-auth check', { reqId, path: ctx.path });
      ctx.status = HTTP_STATUS[err.code];
      ctx.body = jsonErrorBody(err);
    }
  };
}
