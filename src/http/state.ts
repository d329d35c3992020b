import type { ParameterizedContext, Middleware } from 'koa';
import type { Logger } from '../shared/logger.js';

/** What every request carries once the shared middleware has run. */
export interface AppState {
  requestId: string;
  log: Logger;
}

export type AppContext = ParameterizedContext<AppState>;

/** Where a request came from, as observations and the audit trail name it (ctx.ip: TRUST_PROXY decides). */
export interface RequestOrigin {
  sourceIp: string;
  requestId?: string;
}

export const originOf = (ctx: AppContext): RequestOrigin => ({ sourceIp: ctx.ip, ...(ctx.state.requestId ? { requestId: ctx.state.requestId } : {}) });
export type AppMiddleware = Middleware<AppState>;
