/**
 * KooGallery's face of the error codes (spec §4): every call is answered HTTP 200 with one of
 * these result codes. Only codes a KooGallery call can meet are mapped; anything else that reaches
 * this door is an internal failure from KooGallery's point of view (000005: it will retry).
 */
import type { ErrorCode } from '../shared/errors.js';

export const KOO_RESULT = {
  success: '000000',
  authFailed: '000001',
  badParameter: '000002',
  instanceUnknown: '000003',
  processing: '000004',
  internal: '000005',
} as const;
export type KooResultCode = (typeof KOO_RESULT)[keyof typeof KOO_RESULT];

const RESULT_OF: Partial<Record<ErrorCode, KooResultCode>> = {
  invalid_json: KOO_RESULT.badParameter,
  unsupported_media_type: KOO_RESULT.badParameter,
  payload_too_large: KOO_RESULT.badParameter,
  invalid_parameter: KOO_RESULT.badParameter,
  unknown_interface: KOO_RESULT.badParameter,
  method_not_allowed: KOO_RESULT.badParameter,
  // Missing/expired timestamp and missing nonce are 000002, missing or wrong signature 000001
  // (Huawei's sample); a replayed nonce is an authentication failure too.
  timestamp_missing: KOO_RESULT.badParameter,
  timestamp_out_of_window: KOO_RESULT.badParameter,
  nonce_missing: KOO_RESULT.badParameter,
  signature_missing: KOO_RESULT.authFailed,
  signature_invalid: KOO_RESULT.authFailed,
  nonce_replayed: KOO_RESULT.authFailed,
  secret_undecryptable: KOO_RESULT.badParameter,
  app_mismatch: KOO_RESULT.badParameter,
  instance_unknown: KOO_RESULT.instanceUnknown,
  // Only calls that failed their signature are ever limited (a valid one never is), so the answer
  // stays what the call is: not authenticated. 000005 would tell KooGallery to retry and show the
  // seller "internal error" where the cause is the signing key.
  rate_limited: KOO_RESULT.authFailed,
};

export const resultCodeOf = (code: ErrorCode): KooResultCode => RESULT_OF[code] ?? KOO_RESULT.internal;
