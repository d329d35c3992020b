/**
 * The tenant IdP's token endpoint answer (spec §7 token / refresh), read liberally: `expires_in`
 * as a number or a numeric string, `refresh_token` possibly absent, `token_type` possibly absent.
 * Only a missing access_token makes a success answer unusable.
 */
import { KbError } from '../../shared/errors.js';
import { commonStatusError, jsonObject, oauthErrorOf, tokenError } from '../idp-errors.js';
import type { OutboundResponse } from '../../outbound/http.js';

export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Null when the IdP sent none; the caller then keeps the one it had (refresh) or has none. */
  refreshToken: string | null;
  /** Milliseconds since the epoch: now() + expires_in. */
  expiresAt: number;
  scope: string | null;
}

// The documented access_token lifetime (spec §7: 2 h, `expires_in` 7200). Used when the IdP leaves
// expires_in out or sends something unreadable: guessing the documented value keeps the session
// refreshing on the documented schedule, and a token that dies sooner is caught by a userinfo 401.
export const DEFAULT_EXPIRES_IN_S = 7200;

/** Seconds from a number or a string of digits; anything else (0, negative, fractional text) is unreadable. */
function expiresIn(value: unknown): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  if (typeof value === 'string' && /^\s*\d{1,10}\s*$/.test(value)) {
    const n = Number(value);
    if (n > 0) return n;
  }
  return DEFAULT_EXPIRES_IN_S;
}

const nonEmpty = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** The TokenSet of a token-endpoint answer, or the KbError the answer means. */
export function readTokenAnswer(res: OutboundResponse, now: number): TokenSet {
  const common = commonStatusError('token', res);
  if (common) throw common;
  const body = jsonObject(res.text);
  const error = oauthErrorOf(body);
  // Some IdPs answer a refused grant with 200 and an `error` body; the error wins.
  if (res.status >= 300 || error !== null) throw tokenError(res.status, error);
  if (body === null) throw new KbError('idp_bad_response', 'tenant IdP token answer is not a JSON object');
  const accessToken = nonEmpty(body.access_token);
  if (accessToken === null) throw new KbError('idp_bad_response', 'tenant IdP token answer has no access_token');
  return {
    accessToken,
    tokenType: nonEmpty(body.token_type) ?? 'Bearer',
    refreshToken: nonEmpty(body.refresh_token),
    expiresAt: now + expiresIn(body.expires_in) * 1000,
    scope: nonEmpty(body.scope),
  };
}
