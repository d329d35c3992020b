/**
 * The HTTP face of the error codes, shared by the doors that answer over plain HTTP: the JSON API,
 * the browser's HTML pages and forward-auth. (KooGallery's door answers every call with HTTP 200
 * and maps codes to result codes of its own: produce/result-codes.ts.)
 */
import type { ErrorCode } from '../shared/errors.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  invalid_parameter: 400,
  unknown_interface: 404,
  method_not_allowed: 405,
  timestamp_missing: 400,
  timestamp_out_of_window: 400,
  nonce_missing: 400,
  signature_missing: 401,
  signature_invalid: 401,
  nonce_replayed: 401,
  secret_undecryptable: 400,
  app_mismatch: 400,
  instance_unknown: 404,
  // What a browser sees on the error page when a login meets the tenant IdP's refusal or failure.
  idp_invalid_grant: 400,
  idp_unauthorized: 401,
  idp_invalid_client: 502,
  idp_unavailable: 502,
  idp_bad_response: 502,
  idp_forbidden_address: 502,
  cas_invalid_ticket: 400,
  cas_invalid_service: 400,
  // The bridge's own upstream failed: a bad gateway, whoever asked.
  order_query_unavailable: 502,
  order_query_failed: 502,
  login_tenant_unknown: 404,
  login_no_credentials: 503,
  login_state_invalid: 400,
  login_replayed: 400,
  login_tenant_mismatch: 403,
  login_user_not_authorized: 403,
  login_subscription_inactive: 403,
  login_idp_initiated_disabled: 403,
  login_refused_upstream: 403,
  // As Apereo CAS answers an unregistered service: the application may not use this sign-in.
  cas_service_not_registered: 403,
  cas_tenant_not_allowed: 403,
  cross_origin_refused: 403,
  unauthenticated: 401,
  unauthorized: 401,
  admin_disabled: 503,
  not_found: 404,
  rate_limited: 429,
  store_unavailable: 503,
  config_invalid: 500,
  internal: 500,
};
