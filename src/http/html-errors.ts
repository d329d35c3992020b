/**
 * The browser face of errors: a readable page with the right status and the request id, never a
 * stack trace. Every refusal is logged with its code; unexpected errors with their stack.
 */
import type { ErrorCode } from '../shared/errors.js';
import { reportError } from './error-report.js';
import type { AppMiddleware } from './state.js';
import { sendErrorPage } from './pages.js';
import { HTTP_STATUS } from './status.js';

const TITLES: Partial<Record<ErrorCode, string>> = {
  login_tenant_unknown: 'Unknown organization',
  login_no_credentials: 'This organization is not set up yet',
  login_state_invalid: 'This sign-in has expired',
  login_replayed: 'This sign-in link was already used',
  login_tenant_mismatch: 'Organization mismatch',
  login_user_not_authorized: 'You are not authorized for this application',
  login_subscription_inactive: 'Your organization’s subscription is not active',
  login_idp_initiated_disabled: 'Please start signing in from the application',
  login_refused_upstream: 'Sign-in was not completed',
  idp_invalid_grant: 'This sign-in has expired',
  idp_unavailable: 'Your organization’s sign-in service is unavailable',
  idp_bad_response: 'Your organization’s sign-in service answered unexpectedly',
  idp_invalid_client: 'This organization’s sign-in is misconfigured',
  idp_forbidden_address: 'This organization’s sign-in is misconfigured',
  idp_unauthorized: 'Sign-in was not completed',
  cas_invalid_ticket: 'This sign-in has expired',
  cas_invalid_service: 'This sign-in link does not belong here',
  invalid_parameter: 'Bad sign-in request',
  cross_origin_refused: 'Request refused',
  store_unavailable: 'Service temporarily unavailable',
};

const NO_RETRY: ReadonlySet<ErrorCode> = new Set(['login_subscription_inactive']);

/**
 * Messages are written to be read in logs too (lower case first); a page starts a sentence. A
 * message naming a field (`tenant: is not a valid tenant id`) keeps the field as it is spelt.
 */
const sentence = (message: string): string => (/^[\w.[\]]+: /.test(message) ? message : message.charAt(0).toUpperCase() + message.slice(1));

export function htmlErrors(): AppMiddleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const err = reportError(ctx.state.log, thrown, 'browser request', { path: ctx.path });
      const status = HTTP_STATUS[err.code];
      // Signing in again cannot help while the subscription is not active: no button that loops.
      const retry = (status < 500 || err.code.startsWith('idp_')) && !NO_RETRY.has(err.code) ? { href: '/sso/login', label: 'Sign in again' } : undefined;
      sendErrorPage(ctx, status, TITLES[err.code] ?? 'Something went wrong', sentence(err.publicMessage), retry);
    }
  };
}
