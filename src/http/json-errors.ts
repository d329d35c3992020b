import { KbError } from '../shared/errors.js';
import { jsonErrorBody, reportError } from './error-report.js';
import type { AppMiddleware } from './state.js';
import { HTTP_STATUS } from './status.js';

/**
 * The JSON face of errors for APIs: `{ "error": { "code", "message" } }` with the code's status.
 * Unknown errors are logged with their stack and shown only as `internal`.
 */
export function jsonErrors(): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = jsonErrorBody(new KbError('not_found', `no route for ${ctx.method} ${ctx.path}`));
      }
    } catch (thrown) {
      const err = reportError(ctx.state.log, thrown, 'request', { path: ctx.path });
      ctx.status = HTTP_STATUS[err.code];
      ctx.body = jsonErrorBody(err);
    }
  };
}
