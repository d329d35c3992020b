import type { ParameterizedContext, Middleware } from 'koa';
import type { Logger } from '../shared/logger.js';

/** What every request carries once the shared middleware has run. */
export interface AppState {
  requestId: string;
  log: Logger;
}

export type AppContext = ParameterizedContext<AppState>;
export type AppMiddleware = Middleware<AppState>;
