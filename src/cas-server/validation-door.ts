/**
 * The ticket validation paths, answered ahead of the page middleware: every CAS app's sign-in
 * ends with one validation, made by the app's server and read by its CAS client, never a browser.
 * It gives the request its id and access-log line as the shared middleware would, and skips what
 * only matters for pages and other doors — their security headers, the webhook and route tables —
 * so a validation costs little more than its one store round trip (bench:cas). A validation always
 * answers the spec's document, so nothing here can fall through to the JSON error door.
 */
import { logRequest } from '../http/access-log.js';
import { validate } from '../http/guard.js';
import { stampRequest } from '../http/request-id.js';
import type { AppContext, AppMiddleware } from '../http/state.js';
import type { CasDeps } from './deps.js';
import { serviceValidate, v1Validate, validateQuery, type ValidateQuery } from './validate.js';

type Answer = (deps: CasDeps, ctx: AppContext, query: ValidateQuery) => Promise<void>;

/** CAS 3.0 §2.5–2.8 (service tickets only: no proxy tickets are issued) and CAS 1.0's §2.4. */
const PATHS = new Map<string, Answer>([
  ['/cas/serviceValidate', serviceValidate],
  ['/cas/p3/serviceValidate', serviceValidate],
  ['/cas/proxyValidate', serviceValidate],
  ['/cas/p3/proxyValidate', serviceValidate],
  ['/cas/validate', v1Validate],
]);

export function validationDoor(deps: CasDeps): AppMiddleware {
  const { logger } = deps;
  return async (ctx, next) => {
    const answer = ctx.method === 'GET' || ctx.method === 'HEAD' ? PATHS.get(ctx.path) : undefined;
    if (!answer) return next();
    const started = process.hrtime.bigint();
    stampRequest(ctx, logger);
    // An answer about a person: never cached, never sniffed into something else.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    try {
      await answer(deps, ctx, validate(validateQuery, ctx.query));
    } finally {
      logRequest(logger, ctx, started);
    }
  };
}
