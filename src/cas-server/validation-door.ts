/**
 * The ticket validation paths, answered ahead of the shared middleware: every CAS app's sign-in
 * ends with one validation, made by the app's server and read by its CAS client, never a browser.
 * It does for itself what the shared middleware would — request id, security headers, access-log
 * line, an unexpected failure logged with its stack — and skips the route tables and the webhook
 * door, so a validation costs little more than its one store round trip (bench:cas). Paths match
 * as the router matched them (any case, one trailing slash), so no CAS client configured either
 * way falls through to a JSON 404 it cannot read.
 *
 * It also writes its answer itself, headers and body in one writeHead + end, instead of through
 * Koa's response setters, which normalise and store each header one by one; with the query parsed
 * by Koa's URLSearchParams-based parser they were about 7 % of a validation's CPU (bench:cas
 * profile). Koa is told (`ctx.respond = false`) that the response is written. So the answer's
 * headers are only those written here: a middleware mounted ahead of this door that sets a header
 * after `await next()` would find the response sent, and ctx.length and ctx.response.get() read
 * nothing of it.
 */
import { parse as parseQuery } from 'node:querystring';
import { logRequest } from '../http/access-log.js';
import { reportError } from '../http/error-report.js';
import { validate } from '../http/guard.js';
import { identifyRequest } from '../http/request-id.js';
import { securityHeaderPairs } from '../http/security-headers.js';
import type { AppContext, AppMiddleware } from '../http/state.js';
import type { CasDeps } from './deps.js';
import { contentTypeOf, failureBody } from './responses.js';
import { serviceValidate, v1Validate, validateQuery, type CasAnswer, type ValidateQuery } from './validate.js';

type Answer = (deps: CasDeps, ctx: AppContext, query: ValidateQuery) => Promise<CasAnswer>;

/** CAS 3.0 §2.5–2.8 (service tickets only: no proxy tickets are issued) and CAS 1.0's §2.4, by lower-case path. */
const PATHS = new Map<string, Answer>([
  ['/cas/servicevalidate', serviceValidate],
  ['/cas/p3/servicevalidate', serviceValidate],
  ['/cas/proxyvalidate', serviceValidate],
  ['/cas/p3/proxyvalidate', serviceValidate],
  ['/cas/validate', v1Validate],
]);

/** The path as the router compared it: case-insensitive, one trailing slash optional. */
const pathKey = (path: string): string => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path).toLowerCase();

export function validationDoor(deps: CasDeps): AppMiddleware {
  const { logger } = deps;
  const headers = securityHeaderPairs({ hsts: deps.publicUrl.startsWith('https:') }).flat();
  /** Status, every header and the body in one go (Node's raw-array writeHead stores nothing per header). */
  const send = (ctx: AppContext, id: string, status: number, answer: CasAnswer) => {
    ctx.respond = false;
    ctx.res.writeHead(status, [...headers, 'X-Request-Id', id, 'Content-Type', answer.type, 'Content-Length', String(Buffer.byteLength(answer.body))]);
    // HEAD: the headers of GET, Content-Length included, and no body (RFC 9110 §9.3.2).
    if (ctx.method === 'HEAD') ctx.res.end();
    else ctx.res.end(answer.body);
  };
  return async (ctx, next) => {
    const answer = ctx.method === 'GET' || ctx.method === 'HEAD' ? PATHS.get(pathKey(ctx.path)) : undefined;
    if (!answer) return next();
    const started = process.hrtime.bigint();
    const id = identifyRequest(ctx, logger);
    try {
      // node:querystring reads a query as Koa does (repeated names as arrays, `+` as a space) at half
      // the cost — with no limit on pairs, as Koa's has none: its default stops at 1,000, and a
      // ticket repeated past them would then pass as one instead of INVALID_REQUEST.
      const query = parseQuery(ctx.querystring, '&', '=', { maxKeys: 0 });
      send(ctx, id, 200, await answer(deps, ctx, validate(validateQuery, query)));
    } catch (thrown) {
      // What validate.ts did not turn into a CAS answer is a bug: logged with its stack, answered
      // as the spec's INTERNAL_ERROR so the app's CAS client still reads a document.
      reportError(ctx.state.log, thrown, 'CAS validation', { path: ctx.path });
      if (!ctx.res.headersSent) send(ctx, id, 500, { type: contentTypeOf('XML'), body: failureBody('XML', 'INTERNAL_ERROR', 'the ticket could not be validated; try again') });
    } finally {
      logRequest(logger, ctx, started);
    }
  };
}
