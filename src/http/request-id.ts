import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { AppMiddleware } from './state.js';

// An upstream proxy's id is kept so one request can be followed across hops, but only when it is
// short and plain: it is echoed in headers and logs.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** Gives every request an id (X-Request-Id) and a child logger that stamps it on every line. */
export function requestId(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const id = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = id;
    ctx.state.log = logger.child({ reqId: id });
    ctx.set('X-Request-Id', id);
    await next();
  };
}
