/**
 * GET /auth/check ahead of the rest of the middleware: a reverse proxy calls it for every request
 * of every app behind it, so it skips what only matters for other routes (request ids, security
 * headers for pages, route tables). It still answers exactly as the session API does, and a
 * failure is logged and answered as JSON with a stable code.
 */
import { randomUUID } from 'node:crypto';
import { jsonErrorBody, reportError } from '../http/error-report.js';
import { HTTP_STATUS } from '../http/status.js';
import type { AppMiddleware } from '../http/state.js';
import type { Logger } from '../shared/logger.js';
import type { LoginDeps } from './deps.js';
import { forwardAuth } from './session-api.js';

export const FORWARD_AUTH_PATH = '/auth/check';

export function forwardAuthFastPath(deps: LoginDeps, logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    if (ctx.path !== FORWARD_AUTH_PATH || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    ctx.set('Cache-Control', 'no-store');
    try {
      await forwardAuth(deps, ctx);
      // Checks come with every request of the apps behind the proxy: logged at debug only.
      if (logger.isLevelEnabled('debug')) logger.debug({ reqId: randomUUID(), method: ctx.method, path: ctx.path, status: ctx.status }, 'request');
    } catch (thrown) {
      const requestId = randomUUID();
      const err = reportError(logger, thrown, 'forward-auth check', { reqId: requestId, path: ctx.path });
      ctx.set('X-Request-Id', requestId);
      ctx.status = HTTP_STATUS[err.code];
      ctx.body = jsonErrorBody(err);
    }
  };
}
