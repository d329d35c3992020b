/**
 * One `idp_call` observation per call to a tenant IdP (token, refresh, userinfo, CAS validation),
 * with its duration and how it ended, for the metrics and the audit trail. Wraps the call; the
 * error, when there is one, is passed on unchanged.
 */
import { performance } from 'node:perf_hooks';
import { isKbError, type ErrorCode } from '../shared/errors.js';
import type { Observations, ObservationOf } from '../shared/observations.js';

type IdpCall = ObservationOf<'idp_call'>['call'];
type IdpOutcome = ObservationOf<'idp_call'>['outcome'];

/** The IdP said no (to a code, a ticket, a token or our credentials), as opposed to failing. */
const REFUSALS: ReadonlySet<ErrorCode> = new Set(['idp_invalid_grant', 'idp_invalid_client', 'idp_unauthorized', 'cas_invalid_ticket', 'cas_invalid_service']);

export function outcomeOf(err: unknown): IdpOutcome {
  if (isKbError(err) && err.details?.timeout === true) return 'timeout';
  return isKbError(err) && REFUSALS.has(err.code) ? 'refused' : 'error';
}

export async function observedCall<T>(observations: Observations, call: IdpCall, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    const result = await work();
    observations.emit({ kind: 'idp_call', call, outcome: 'ok', durationMs: performance.now() - started });
    return result;
  } catch (err) {
    observations.emit({ kind: 'idp_call', call, outcome: outcomeOf(err), durationMs: performance.now() - started });
    throw err;
  }
}
