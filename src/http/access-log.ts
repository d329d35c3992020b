import type { Logger } from '../shared/logger.js';
import type { AppContext, AppMiddleware } from './state.js';

/**
 * One line per request. The path is logged without its query string: login callbacks carry
 * authorization codes and tickets there.
 */
const QUIET_PATH = '/auth/check';

export function accessLog(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      logRequest(logger, ctx, started);
    }
  };
}

/** The request's line, for a door that answers ahead of accessLog; `started` from process.hrtime.bigint(). */
export function logRequest(logger: Logger, ctx: AppContext, started: bigint): void {
  // Nothing to build when nothing is written: the successful requests of the hot paths, at most levels.
  const quiet = ctx.path === QUIET_PATH && ctx.status < 300;
  if (ctx.status < 500 && !logger.isLevelEnabled(quiet ? 'debug' : 'info')) return;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10, ip: ctx.ip };
  if (ctx.status >= 500) ctx.state.log.error(line, 'request');
  // Forward-auth checks come with every request of the apps behind the proxy: successful
  // ones are logged at debug so they do not drown everything else.
  else if (quiet) ctx.state.log.debug(line, 'request');
  else ctx.state.log.info(line, 'request');
}
