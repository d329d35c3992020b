import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../../../src/http/status.js';
import { KOO_RESULT, resultCodeOf } from '../../../src/produce/result-codes.js';
import { ERRORS, KbError, toKbError, type ErrorCode } from '../../../src/shared/errors.js';

const codes = Object.keys(ERRORS) as ErrorCode[];

describe('the error codes', () => {
  it('each says when it is thrown, in one line', () => {
    for (const code of codes) {
      expect(ERRORS[code].when, code).toMatch(/^[a-z].{10,}$/);
      expect(ERRORS[code].when, code).not.toContain('\n');
    }
  });

  it('each has an HTTP status at the HTTP doors', () => {
    for (const code of codes) expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
  });

  it('answer 429 at the HTTP doors when a rate limit refuses', () => {
    expect(HTTP_STATUS.rate_limited).toBe(429);
  });

  it("answer 502 at the HTTP doors when KooGallery's order query fails: the bridge's upstream, not the caller", () => {
    expect(HTTP_STATUS.order_query_unavailable).toBe(502);
    expect(HTTP_STATUS.order_query_failed).toBe(502);
  });

  it('hide the message of internal and configuration errors, and show every other', () => {
    expect(new KbError('internal', 'ECONNRESET at 10.0.0.7').publicMessage).toBe('internal error');
    expect(new KbError('config_invalid', 'SECRET_KEYS: bad').publicMessage).toBe('internal error');
    expect(new KbError('invalid_parameter', 'tenantId: is required').publicMessage).toBe('tenantId: is required');
    expect(toKbError(new Error('boom'))).toMatchObject({ code: 'internal', publicMessage: 'internal error' });
  });
});

describe('the KooGallery door', () => {
  it('answers the documented result codes for what a webhook can meet (spec §2, §4)', () => {
    expect(resultCodeOf('signature_invalid')).toBe(KOO_RESULT.authFailed);
    expect(resultCodeOf('signature_missing')).toBe(KOO_RESULT.authFailed);
    expect(resultCodeOf('nonce_replayed')).toBe(KOO_RESULT.authFailed);
    expect(resultCodeOf('timestamp_missing')).toBe(KOO_RESULT.badParameter);
    expect(resultCodeOf('nonce_missing')).toBe(KOO_RESULT.badParameter);
    expect(resultCodeOf('invalid_parameter')).toBe(KOO_RESULT.badParameter);
    expect(resultCodeOf('instance_unknown')).toBe(KOO_RESULT.instanceUnknown);
  });

  it('answers a call refused by the signature-failure rate limit 000001: it is limited only for failing its signature', () => {
    expect(resultCodeOf('rate_limited')).toBe(KOO_RESULT.authFailed);
  });

  it('answers 000005 (KooGallery retries) for anything else, the store being down included', () => {
    expect(resultCodeOf('store_unavailable')).toBe(KOO_RESULT.internal);
    expect(resultCodeOf('internal')).toBe(KOO_RESULT.internal);
    expect(resultCodeOf('login_replayed')).toBe(KOO_RESULT.internal);
    // A newInstance handler whose order query failed: KooGallery retries later.
    expect(resultCodeOf('order_query_unavailable')).toBe(KOO_RESULT.internal);
    expect(resultCodeOf('order_query_failed')).toBe(KOO_RESULT.internal);
  });
});
