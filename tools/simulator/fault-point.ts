/**
 * The place in a route where the tenant's fault switches take effect: after the call is counted,
 * before the IdP does anything, so a faulted call changes no state (a code is not consumed by a
 * token call that answered 500).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SimDeps, SimMiddleware } from './deps.js';
import type { FaultEndpoint } from './types.js';

// What a body cut off mid-transfer looks like: valid JSON / XML up to a point, then nothing.
const TRUNCATED_JSON = '{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bea';
const TRUNCATED_XML = "<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>\n  <cas:authenticationSucc";

export function faultPoint(deps: SimDeps, endpoint: FaultEndpoint): SimMiddleware {
  return async (ctx, next) => {
    const faults = deps.faults.active(ctx.state.tenant.tenantId, endpoint);
    if (!faults) return next();

    if (faults.delayMs > 0) await sleep(faults.delayMs);
    if (faults.hang) {
      await deps.hangs.hold(ctx.req.socket);
      // The socket is gone: there is no one left to answer.
      ctx.respond = false;
      return;
    }
    if (faults.status500) {
      ctx.status = 500;
      ctx.body = { error: 'server_error' };
      return;
    }
    if (faults.malformedJson) {
      ctx.status = 200;
      const xml = endpoint === 'serviceValidate' && String(ctx.query.format ?? '').toUpperCase() === 'XML';
      ctx.type = xml ? 'application/xml' : 'application/json';
      ctx.body = xml ? TRUNCATED_XML : TRUNCATED_JSON;
      return;
    }
    return next();
  };
}

/** Counts a back-channel call, faulted or not: benchmarks and retry tests read these. */
export function countCall(deps: SimDeps, counter: keyof SimDeps['stats']): SimMiddleware {
  return async (_ctx, next) => {
    deps.stats[counter] += 1;
    await next();
  };
}
