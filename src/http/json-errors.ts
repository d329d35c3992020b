import { toKbError } from '../shared/errors.js';
import type { AppMiddleware } from './state.js';

/**
 * The JSON face of errors for APIs: `{ "error": { "code", "message" } }` with the code's status.
 * Unknown errors are logged with their stack here and shown only as `internal`.
 */
export function jsonErrors(): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'not_found', message: `no route for ${ctx.method} ${ctx.path}` } };
      }
    } catch (thrown) {
      const err = toKbError(thrown);
      if (err.code === 'internal') ctx.state.log.error({ err: thrown }, 'unhandled error');
      else ctx.state.log.warn({ errorCode: err.code, reason: err.message }, 'request refused');
      ctx.status = err.status;
      ctx.body = { error: { code: err.code, message: err.publicMessage, ...(err.details ? { details: err.details } : {}) } };
    }
  };
}
