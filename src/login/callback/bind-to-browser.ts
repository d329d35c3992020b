/**
 * Login CSRF protection: a callback is tied to the browser that started the login by its one-time
 * pre-login record (and, at the tenant IdP, by `state`). Three cases:
 *  - we started at the tenant IdP with a state: it must come back, matching, for the same tenant;
 *  - we started without a state (the unified login page, or CAS): any tenant the record allows;
 *  - no record and no state: an IdP-initiated login (the workbench tile), accepted only when
 *    KOO_IDP_INITIATED is on, and then it lands on LOGIN_LANDING_URL, never on a URL from the request.
 * A state we did not issue to this browser is refused in every case.
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
  const pre = attempt.preLogin?.protocol === attempt.protocol ? attempt.preLogin : null;
  const reader = CALLBACK_READERS[attempt.protocol];
  if (pre && pre.state !== null) {
    if (!attempt.state || !sameSecret(attempt.state, pre.state)) {
      throw new KbError('login_state_invalid', 'the sign-in response does not match the sign-in this browser started; please sign in again');
    }
  } else if (attempt.state) {
    // A state we did not issue to this browser (forged, expired, or another browser's).
    throw new KbError('login_state_invalid', 'this sign-in has expired or was started in another browser; please sign in again');
  } else if (!pre && !deps.settings.idpInitiated) {
    throw new KbError('login_idp_initiated_disabled', 'sign-in must be started from the application (IdP-initiated sign-in is disabled)');
  }
  if (pre) {
    if (pre.tenantId !== null && attempt.tenantId !== undefined && attempt.tenantId !== pre.tenantId) throw startedForAnotherTenant();
    attempt.tenantId = pre.tenantId ?? attempt.tenantId;
    attempt.returnTo = pre.returnTo;
  }
  attempt.boundByState = pre !== null && pre.state !== null;
  attempt.returnUrl = reader.returnUrl(deps.settings, ctx, attempt.boundByState);
};
