import { randomUUID } from 'node:crypto';
import type { Logger } from '../shared/logger.js';
import type { AppContext, AppMiddleware } from './state.js';

// An upstream proxy's id is kept so one request can be followed across hops, but only when it is
// short and plain: it is echoed in headers and logs.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/** The request's id: the upstream proxy's X-Request-Id when short and plain, else a new one. */
export function requestIdOf(ctx: { get(name: string): string }): string {
  const incoming = ctx.get('x-request-id');
  return SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives the request its id (ctx.state.requestId) and a child logger that stamps it on every line;
 * answers the id, which the caller sends as X-Request-Id (a door writing its own headers does).
 */
export function identifyRequest(ctx: AppContext, logger: Logger): string {
  const id = requestIdOf(ctx);
  ctx.state.requestId = id;
  // The child logger is made on first use: most requests of the hot paths (/auth/check, CAS
  // validation) log nothing above the configured level, and building a child costs more than that.
  let child: Logger | undefined;
  Object.defineProperty(ctx.state, 'log', { get: () => (child ??= logger.child({ reqId: id })), configurable: true, enumerable: true });
  return id;
}

/** Gives every request an id (X-Request-Id) and a child logger that stamps it on every line. */
export function requestId(logger: Logger): AppMiddleware {
  return async (ctx, next) => {
    ctx.set('X-Request-Id', identifyRequest(ctx, logger));
    await next();
  };
}
