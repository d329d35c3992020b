/**
 * The one closed set of error codes of koobridge.
 *
 * Every failure that can reach a caller is a KbError with one of these codes. The table says how
 * the code is shown on each face of the service: the HTTP status (admin and session APIs, browser
 * pages), the KooGallery `resultCode` (webhooks always answer HTTP 200 with a result code, spec §4)
 * and whether the message was written for the caller (`expose`) or must be replaced by a generic
 * one because it may carry internal detail.
 */

/** KooGallery result codes (spec §4). */
export const KOO_RESULT = {
  success: '000000',
  authFailed: '000001',
  badParameter: '000002',
  instanceUnknown: '000003',
  processing: '000004',
  internal: '000005',
} as const;
export type KooResultCode = (typeof KOO_RESULT)[keyof typeof KOO_RESULT];

interface ErrorSpec {
  status: number;
  koo: KooResultCode;
  expose: boolean;
}

const spec = (status: number, koo: KooResultCode, expose = true): ErrorSpec => ({ status, koo, expose });

export const ERROR_CODES = {
  // Request shape
  invalid_json: spec(400, KOO_RESULT.badParameter),
  unsupported_media_type: spec(415, KOO_RESULT.badParameter),
  payload_too_large: spec(413, KOO_RESULT.badParameter),
  invalid_parameter: spec(400, KOO_RESULT.badParameter),
  unknown_interface: spec(404, KOO_RESULT.badParameter),
  method_not_allowed: spec(405, KOO_RESULT.badParameter),
  // Webhook authentication (spec §2): missing/expired timestamp and missing nonce are 000002,
  // missing or wrong signature 000001 (Huawei's sample).
  timestamp_missing: spec(400, KOO_RESULT.badParameter),
  timestamp_out_of_window: spec(400, KOO_RESULT.badParameter),
  nonce_missing: spec(400, KOO_RESULT.badParameter),
  signature_missing: spec(401, KOO_RESULT.authFailed),
  signature_invalid: spec(401, KOO_RESULT.authFailed),
  nonce_replayed: spec(401, KOO_RESULT.authFailed),
  // Payload semantics
  secret_undecryptable: spec(400, KOO_RESULT.badParameter),
  app_mismatch: spec(400, KOO_RESULT.badParameter),
  instance_unknown: spec(404, KOO_RESULT.instanceUnknown),
  // Tenant IdP (outbound OAuth2 / CAS calls). Statuses are what a browser sees on the error page.
  idp_invalid_grant: spec(400, KOO_RESULT.badParameter),
  idp_unauthorized: spec(401, KOO_RESULT.authFailed),
  idp_invalid_client: spec(502, KOO_RESULT.internal),
  idp_unavailable: spec(502, KOO_RESULT.internal),
  idp_bad_response: spec(502, KOO_RESULT.internal),
  idp_forbidden_address: spec(502, KOO_RESULT.internal),
  cas_invalid_ticket: spec(400, KOO_RESULT.badParameter),
  cas_invalid_service: spec(400, KOO_RESULT.badParameter),
  // Browser login (statuses of the error page)
  login_tenant_unknown: spec(404, KOO_RESULT.badParameter),
  login_no_credentials: spec(503, KOO_RESULT.internal),
  login_state_invalid: spec(400, KOO_RESULT.badParameter),
  login_replayed: spec(400, KOO_RESULT.badParameter),
  login_tenant_mismatch: spec(403, KOO_RESULT.authFailed),
  login_user_not_authorized: spec(403, KOO_RESULT.authFailed),
  login_idp_initiated_disabled: spec(403, KOO_RESULT.authFailed),
  login_refused_upstream: spec(403, KOO_RESULT.authFailed),
  cross_origin_refused: spec(403, KOO_RESULT.authFailed),
  unauthenticated: spec(401, KOO_RESULT.authFailed),
  // Admin API
  unauthorized: spec(401, KOO_RESULT.authFailed),
  admin_disabled: spec(503, KOO_RESULT.internal),
  not_found: spec(404, KOO_RESULT.badParameter),
  // Infrastructure
  store_unavailable: spec(503, KOO_RESULT.internal),
  config_invalid: spec(500, KOO_RESULT.internal, false),
  internal: spec(500, KOO_RESULT.internal, false),
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

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

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get kooResult(): KooResultCode {
    return ERROR_CODES[this.code].koo;
  }

  /** The message a caller may see: ours when written for them, a generic one otherwise. */
  get publicMessage(): string {
    return ERROR_CODES[this.code].expose ? this.message : 'internal error';
  }
}

/** Turns anything thrown into a KbError; unknown errors become `internal` (message hidden). */
export function toKbError(err: unknown): KbError {
  if (err instanceof KbError) return err;
  return new KbError('internal', err instanceof Error ? err.message : String(err), { cause: err });
}

export const isKbError = (err: unknown, code?: ErrorCode): err is KbError =>
  err instanceof KbError && (code === undefined || err.code === code);
