import type { Logger } from '../shared/logger.js';
import type { AppMiddleware } from './state.js';

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
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10, ip: ctx.ip };
      if (ctx.status >= 500) ctx.state.log.error(line, 'request');
      // Forward-auth checks come with every request of the apps behind the proxy: successful
      // ones are logged at debug so they do not drown everything else.
      else if (ctx.path === QUIET_PATH && ctx.status < 300) {
        if (logger.isLevelEnabled('debug')) ctx.state.log.debug(line, 'request');
      } else if (logger.isLevelEnabled('info')) ctx.state.log.info(line, 'request');
    }
  };
}
