/**
 * How a tenant IdP's answers turn into KbErrors (spec §7 "Errors"). Shared by the token, userinfo
 * and CAS calls so that a redirect, a 5xx or a garbled body reads the same whichever call met it.
 *
 * Messages are written for an operator and may be shown: they carry the HTTP status and the IdP's
 * OAuth/CAS error *code* when it looks like one, never a token, a code, a ticket, the client secret,
 * a query string or the IdP's free-text description (which often repeats the rejected credential).
 */
import { KbError } from '../shared/errors.js';
import type { OutboundResponse } from '../outbound/http.js';

/** Which IdP call failed, for messages. */
export type IdpEndpoint = 'token' | 'userinfo' | 'CAS serviceValidate';

const INVALID_CLIENT_HINT =
  'check that the clientId belongs to this tenant, that the clientSecret was decrypted, and that the domainName is the tenant\'s own';

/**
 * An OAuth / CAS error code fit for a message, or nothing. Only the shapes real codes have pass:
 * words joined by underscores (`invalid_grant`, `INVALID_TICKET`) or a short number (Huawei's own
 * APIs). Random-looking text — which is what a token or secret echoed back would be — does not.
 */
export function safeCode(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || text.length > 40) return null;
  return /^[A-Za-z]+(?:_[A-Za-z]+){0,5}$/.test(text) || /^\d{1,6}$/.test(text) ? text : null;
}

/** The answers every endpoint treats alike: redirects, server errors, rate limits. */
export function commonStatusError(endpoint: IdpEndpoint, res: OutboundResponse): KbError | null {
  if (res.status >= 300 && res.status < 400) {
    // Following it would resend the request (secret included) wherever the IdP points.
    return new KbError('idp_bad_response', `IdP answered with a redirect (HTTP ${res.status}) on ${endpoint}`);
  }
  if (res.status >= 500 || res.status === 429) {
    return new KbError('idp_unavailable', `tenant IdP ${endpoint} answered HTTP ${res.status}`);
  }
  if (res.status < 200) return new KbError('idp_bad_response', `tenant IdP ${endpoint} answered HTTP ${res.status}`);
  return null;
}

/** The JSON object of a body, or null when the body is not one. A leading BOM is tolerated. */
export function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The OAuth `error` of a body, as a safe code (Huawei's own APIs sometimes send a number). */
export function oauthErrorOf(body: Record<string, unknown> | null): string | null {
  return body === null || body.error === undefined ? null : (safeCode(body.error) ?? 'unknown');
}

/** A failed token-endpoint answer (authorization_code or refresh_token grant). */
export function tokenError(status: number, error: string | null): KbError {
  const details = error === null ? { status } : { status, idpError: error };
  if (error === 'invalid_grant') {
    return new KbError('idp_invalid_grant', 'authorization code or refresh token is invalid, used or expired', { details });
  }
  if (error === 'invalid_client' || error === 'unauthorized_client' || status === 401 || status === 403) {
    const what = error === null ? `HTTP ${status}` : `${error}, HTTP ${status}`;
    return new KbError('idp_invalid_client', `tenant IdP refused the client credentials (${what}); ${INVALID_CLIENT_HINT}`, { details });
  }
  const what = error === null ? `HTTP ${status}` : `HTTP ${status}, error ${error}`;
  return new KbError('idp_bad_response', `tenant IdP refused the token request (${what})`, { details });
}

/** A failed userinfo answer: a refused access token is the caller's cue to refresh or log in again. */
export function userinfoError(status: number, error: string | null): KbError {
  const details = error === null ? { status } : { status, idpError: error };
  if (status === 401 || status === 403 || error === 'unauthorized' || error === 'invalid_token') {
    return new KbError('idp_unauthorized', `tenant IdP userinfo refused the access token (HTTP ${status})`, { details });
  }
  const what = error === null ? `HTTP ${status}` : `HTTP ${status}, error ${error}`;
  return new KbError('idp_bad_response', `tenant IdP userinfo failed (${what})`, { details });
}

/** A CAS `authenticationFailure`, by its code (CAS 3.0 §2.5.3 lists them). */
export function casFailure(rawCode: unknown): KbError {
  const code = safeCode(rawCode) ?? 'UNKNOWN';
  const details = { casCode: code };
  switch (code.toUpperCase()) {
    case 'INVALID_SERVICE':
    case 'UNAUTHORIZED_SERVICE':
      return new KbError('cas_invalid_service', `CAS refused the service URL (${code})`, { details });
    case 'INTERNAL_ERROR':
      // The ticket may well be good; the IdP failed to check it.
      return new KbError('idp_unavailable', `CAS could not validate the ticket (${code})`, { details });
    default:
      // INVALID_TICKET, INVALID_TICKET_SPEC, INVALID_REQUEST and anything unknown: this ticket is spent.
      return new KbError('cas_invalid_ticket', `CAS refused the ticket (${code})`, { details });
  }
}
