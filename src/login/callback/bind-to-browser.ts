/**
 * Login CSRF protection: a callback is tied to the browser that started the login by its one-time
 * pre-login record (and, at the tenant IdP, by `state`). The states we issue are self-identifying
 * (see own-states.ts), so a callback's state is either ours or someone else's:
 *  - we started at the tenant IdP with a state: it must come back, matching, for the same tenant;
 *  - a state of ours without this browser's record (another browser's, or already used — the record
 *    is single-use): refused;
 *  - we started without a state (the unified login page, or CAS for the service it was started
 *    with): any tenant the record allows;
 *  - no record of ours for this callback, and no state or a state we never issued (the aPaaS
 *    workbench starts authorize itself and its own state comes back, spec §7 "Login details found
 *    later"): an IdP-initiated login, accepted only when KOO_IDP_INITIATED is on, landing on
 *    LOGIN_LANDING_URL, never on a URL from the request. It is not tied to this browser, so
 *    confirm-untied.ts applies.
 */
import { KbError } from '../../shared/errors.js';
import { sameSecret } from '../../shared/hash.js';
import { startedForAnotherTenant } from '../refusals.js';
import type { CallbackCheck } from './attempt.js';
import { CALLBACK_READERS } from './readers.js';

export const takePreLogin: CallbackCheck = async (deps, ctx, attempt) => {
  attempt.preLogin = await deps.preLogins.take(ctx);
};

export const bindToBrowser: CallbackCheck = (deps, ctx, attempt) => {
  const reader = CALLBACK_READERS[attempt.protocol];
  const candidate = attempt.preLogin?.protocol === attempt.protocol ? attempt.preLogin : null;
  // A CAS record binds only a callback to the service its login was started with.
  let pre = candidate && reader.matchesStart(deps.settings, ctx, candidate) ? candidate : null;
  const ours = attempt.state !== undefined && deps.ownStates.isOurs(attempt.state);
  if (pre && pre.state !== null) {
    if (!attempt.state || !sameSecret(attempt.state, pre.state)) {
      throw new KbError('login_state_invalid', 'the sign-in response does not match the sign-in this browser started; please sign in again');
    }
  } else if (ours) {
    // Ours, but not this browser's pending login: another browser's, already used, or expired.
    throw new KbError('login_state_invalid', 'this sign-in has expired or was started in another browser; please sign in again');
  } else if (attempt.state) {
    // The workbench's own state: its login, not the unified login this browser may have started.
    pre = null;
  }
  if (!pre && !deps.settings.idpInitiated) {
    throw new KbError('login_idp_initiated_disabled', 'sign-in must be started from the application (IdP-initiated sign-in is disabled)');
  }
  if (pre) {
    if (pre.tenantId !== null && attempt.tenantId !== undefined && attempt.tenantId !== pre.tenantId) throw startedForAnotherTenant();
    attempt.tenantId = pre.tenantId ?? attempt.tenantId;
    attempt.returnTo = pre.returnTo;
    attempt.clientId = pre.clientId;
  }
  attempt.boundByState = pre !== null && pre.state !== null;
  attempt.returnUrl = reader.returnUrl(deps.settings, ctx, attempt.boundByState);
};
