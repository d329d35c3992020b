/**
 * The one closed set of error codes of koobridge, each with the one line saying when it is thrown
 * (the way jose documents ERR_JWT_EXPIRED and friends).
 *
 * A code says what went wrong, not how it is shown: each door owns its own mapping — the webhook
 * envelope maps codes to KooGallery result codes (produce/result-codes.ts), the JSON API, the HTML
 * pages and forward-auth map them to HTTP statuses (http/status.ts). Only whether the message was
 * written for the caller (`expose`) belongs to the code: a message that may carry internal detail
 * is replaced by a generic one at every door.
 */

interface CodeSpec {
  /** When the code is thrown; the README's error table is made from these lines. */
  when: string;
  /** False when the message may carry internal detail and must not be shown. */
  expose?: false;
}

export const ERRORS = {
  // Request shape
  invalid_json: { when: 'a request body is not a JSON object, is not UTF-8, or nests too deep' },
  unsupported_media_type: { when: 'a request body is not sent as application/json; charset=utf-8' },
  payload_too_large: { when: 'a request body is larger than its limit' },
  invalid_parameter: { when: 'a body field, query or path parameter breaks its schema; the message names the field' },
  unknown_interface: { when: 'a KooGallery call names an interface the bridge does not serve' },
  method_not_allowed: { when: 'a KooGallery call is not a POST' },
  // Webhook authentication (spec §2)
  timestamp_missing: { when: 'a signed call carries no timestamp' },
  timestamp_out_of_window: { when: 'a signed call is stamped more than 60 s away from our clock' },
  nonce_missing: { when: 'a signed call carries no nonce' },
  signature_missing: { when: 'a signed call carries no signature' },
  signature_invalid: { when: 'a signature does not match the body and the access key' },
  nonce_replayed: { when: 'an authentic call reuses a nonce already seen within the window' },
  // Payload semantics
  secret_undecryptable: { when: 'an applicationSync clientSecret does not decrypt with our RSA key' },
  app_mismatch: { when: 'a call is for another appId than KOO_APP_ID' },
  instance_unknown: { when: 'a call names an instance the bridge does not know' },
  // Tenant IdP (outbound OAuth2 / CAS calls)
  idp_invalid_grant: { when: 'the tenant IdP refuses an authorization code or refresh token (used, expired, invalid)' },
  idp_unauthorized: { when: 'the tenant IdP refuses an access token at userinfo' },
  idp_invalid_client: { when: "the tenant IdP refuses this app's client credentials" },
  idp_unavailable: { when: 'the tenant IdP cannot be reached, times out, or answers 5xx / 429' },
  idp_bad_response: { when: 'the tenant IdP answers something unreadable or unexpected (redirect, garbled body)' },
  idp_forbidden_address: { when: 'a tenant IdP host is or resolves to a loopback, private or reserved address' },
  cas_invalid_ticket: { when: 'a CAS ticket is malformed or refused by the tenant IdP' },
  cas_invalid_service: { when: 'the tenant IdP refuses the CAS service URL' },
  // KooGallery order query (the merchant's own call out, spec §9)
  order_query_unavailable: { when: 'the KooGallery order query cannot be reached on either host, times out, or answers 5xx / 429' },
  order_query_failed: { when: 'the KooGallery order query refuses the call (a resultCode other than 000000, an HTTP 4xx) or answers something unreadable' },
  // Browser login
  login_tenant_unknown: { when: 'a login names a tenant the directory does not know' },
  login_no_credentials: { when: 'a tenant has no app credentials or no sign-in address yet' },
  login_state_invalid: { when: 'a callback or interaction does not belong to the sign-in this browser started' },
  login_replayed: { when: 'a callback carries a code or ticket that was already redeemed' },
  login_tenant_mismatch: { when: 'a login came back for another tenant than it was started for, or the IdP names another' },
  login_user_not_authorized: { when: 'the directory has no active, enabled grant for the user' },
  login_subscription_inactive: { when: "the tenant has no usable instance: every one is frozen or released, or none has arrived yet" },
  login_idp_initiated_disabled: { when: 'a login the bridge did not start arrives while KOO_IDP_INITIATED is off' },
  login_refused_upstream: { when: 'the tenant IdP sent an error instead of a code' },
  cas_service_not_registered: { when: "a CAS login names a service (app URL) that CAS_SERVICES_FILE does not register" },
  cas_tenant_not_allowed: { when: "the signed-in user's organization is not among a CAS service's allowed tenants" },
  cross_origin_refused: { when: 'a state-changing browser request comes from another origin' },
  unauthenticated: { when: 'a session API or forward-auth request has no valid session' },
  // Admin API
  unauthorized: { when: 'an admin API or /metrics request has no valid bearer token' },
  admin_disabled: { when: 'the admin API is called while ADMIN_TOKEN is not set' },
  not_found: { when: 'a route or an addressed object (tenant, user) does not exist' },
  // Rate limits (src/ratelimit/)
  rate_limited: { when: 'a client IP or tenant is over one of the RATE_LIMIT_* limits; the answer says when to retry' },
  // Infrastructure
  store_unavailable: { when: 'the store (Redis) does not answer in time or refuses the command' },
  config_invalid: { when: 'a setting is missing or invalid at start', expose: false },
  internal: { when: 'anything unexpected: a bug, or a stored value that cannot be read', expose: false },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERRORS;

export class KbError extends Error {
  readonly code: ErrorCode;
  /** Safe, structured detail for the caller (e.g. the offending field). Never secrets. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KbError';
    this.code = code;
    this.details = options.details;
  }

  /** The message a caller may see: ours when written for them, a generic one otherwise. */
  get publicMessage(): string {
    return (ERRORS[this.code] as CodeSpec).expose === false ? 'internal error' : this.message;
  }
}

/** Turns anything thrown into a KbError; unknown errors become `internal` (message hidden). */
export function toKbError(err: unknown): KbError {
  if (err instanceof KbError) return err;
  return new KbError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}

export const isKbError = (err: unknown, code?: ErrorCode): err is KbError =>
  err instanceof KbError && (code === undefined || err.code === code);
