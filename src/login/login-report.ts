/**
 * One `login` observation per attempt that reached a decision (the audit trail and metrics
 * listen): success when a session was opened or a native app's code was exchanged, refused with
 * the error code otherwise. A callback that only sends the browser on (to start a login, or to the
 * confirmation page of an untied code) has decided nothing yet and reports nothing; the
 * confirmation reports the login when it is accepted.
 *
 * How a person arrived (`method`): CAS by its protocol; an OAuth2 callback with a state the bridge
 * issued came through the tenant IdP, one with someone else's state through the aPaaS workbench,
 * one without state through KooGallery's unified login page; a native app's exchange is `native`.
 */
import { toKbError } from '../shared/errors.js';
import { isTenantId, isUserName } from '../shared/identifiers.js';
import type { LoginMethod } from '../shared/observations.js';
import { originOf, type AppContext } from '../http/state.js';
import type { CallbackAttempt } from './callback/attempt.js';
import type { LoginDeps } from './deps.js';

/** The OpenID client or CAS service an allowed return URL belongs to; never the request's own words. */
export async function clientOfReturnTo(deps: Pick<LoginDeps, 'clientOfReturn'>, returnTo: string | null): Promise<string | undefined> {
  return returnTo !== null && deps.clientOfReturn ? deps.clientOfReturn(returnTo) : undefined;
}

export function loginMethodOf(deps: Pick<LoginDeps, 'ownStates'>, attempt: Pick<CallbackAttempt, 'protocol' | 'state'>): LoginMethod {
  if (attempt.protocol === 'cas') return 'cas';
  if (attempt.state === undefined) return 'unified';
  return deps.ownStates.isOurs(attempt.state) ? 'tenant_idp' : 'workbench';
}

export interface LoginFacts {
  method: LoginMethod;
  tenantId?: string | undefined;
  userName?: string | undefined;
  clientId?: string | undefined;
}

/** Reports a decided login; `ctx` is absent for the native exchange (no browser, no request of ours). */
export function reportLogin(deps: Pick<LoginDeps, 'observations'>, ctx: AppContext | undefined, facts: LoginFacts, refusal?: unknown): void {
  deps.observations?.emit({
    kind: 'login',
    method: facts.method,
    outcome: refusal === undefined ? 'success' : 'refused',
    ...(refusal === undefined ? {} : { reason: toKbError(refusal).code }),
    // A refused callback may name anything as its tenant: only a well-formed id is recorded.
    ...(facts.tenantId && isTenantId(facts.tenantId) ? { tenantId: facts.tenantId } : {}),
    ...(facts.userName && isUserName(facts.userName) ? { userName: facts.userName } : {}),
    ...(facts.clientId ? { clientId: facts.clientId } : {}),
    ...(ctx ? originOf(ctx) : {}),
  });
}

/**
 * What an attempt has established about who tried: the tenant named or checked, the user the IdP
 * vouched for, and the app it was for once the pre-login record tied the callback to a login
 * started for one.
 */
export const factsOf = (deps: Pick<LoginDeps, 'ownStates'>, attempt: CallbackAttempt): LoginFacts => ({
  method: loginMethodOf(deps, attempt),
  tenantId: attempt.target?.tenant.tenantId ?? attempt.tenantId,
  userName: attempt.user?.userName ?? attempt.result?.identity.userName,
  clientId: attempt.clientId,
});
