import { describe, expect, it } from 'vitest';
import { canonicalPayloads } from '../../../src/koogallery/canonical.js';
import {
  basicBodyHash,
  basicSignature,
  kitSignature,
  parseTimestamp,
  verifySignature,
  type VerifyOptions,
} from '../../../src/koogallery/signature.js';

import { ACCESS_KEY, BASIC_BODY_TEXT as BASIC_BODY, BASIC_HASH, BASIC_SIGN, KIT_BODY_TEXT as KIT_BODY, KIT_PAYLOAD, KIT_SIGN, NONCE, TIMESTAMP } from './spec-vectors.js';

const NOW = Number(TIMESTAMP);

const kit = (over: Partial<VerifyOptions> = {}): VerifyOptions => ({
  family: 'kit',
  accessKey: ACCESS_KEY,
  sign: KIT_SIGN,
  nonce: NONCE,
  timestamp: TIMESTAMP,
  rawBody: KIT_BODY,
  now: NOW,
  windowMs: 60_000,
  ...over,
});

const failsWith = (opts: VerifyOptions, code: string) => expect(() => verifySignature(opts)).toThrow(expect.objectContaining({ code }));

/** Signs `rawBody` the way KooGallery does, over the payload chosen by `pick`. */
function signedKit(rawBody: string, timestamp: string, pick: (payloads: string[]) => string = (p) => p[0]!): VerifyOptions {
  return kit({ rawBody, timestamp, now: parseTimestamp(timestamp), sign: kitSignature(ACCESS_KEY, NONCE, timestamp, pick(canonicalPayloads(rawBody))) });
}

describe('signature algorithms (spec §2 test vectors)', () => {
  it('the kit vector: canonical payload and x-sign', () => {
    expect(canonicalPayloads(KIT_BODY)).toEqual([KIT_PAYLOAD]);
    expect(kitSignature(ACCESS_KEY, NONCE, TIMESTAMP, KIT_PAYLOAD)).toBe(KIT_SIGN);
  });

  it('the basic vector: bodyHash and signature', () => {
    const payload = canonicalPayloads(BASIC_BODY)[0]!;
    expect(payload).toBe(BASIC_BODY); // already sorted, nothing null
    expect(basicBodyHash(ACCESS_KEY, payload)).toBe(BASIC_HASH);
    expect(basicSignature(ACCESS_KEY, NONCE, TIMESTAMP, payload)).toBe(BASIC_SIGN);
  });
});

describe('parseTimestamp', () => {
  it('reads 13 digits as Unix milliseconds', () => {
    expect(parseTimestamp('1680508066618')).toBe(1680508066618);
  });

  it('reads 10 digits as Unix seconds (an old page of the documentation)', () => {
    expect(parseTimestamp('1680508066')).toBe(1680508066000);
  });

  it.each([undefined, '', '168050806661', '16805080666180', '1680508066.618', '-1680508066618', ' 1680508066618', 'abc', '１６８０５０８０６６'])(
    'refuses %j with timestamp_missing',
    (value) => {
      expect(() => parseTimestamp(value)).toThrow(expect.objectContaining({ code: 'timestamp_missing' }));
    },
  );

  it('says what a timestamp must look like', () => {
    expect(() => parseTimestamp('soon')).toThrow(/13 digits.*10 digits/);
  });
});

describe('verifySignature', () => {
  it('accepts the kit vector', () => {
    expect(() => verifySignature(kit())).not.toThrow();
  });

  it('accepts the basic vector', () => {
    expect(() => verifySignature(kit({ family: 'basic', rawBody: BASIC_BODY, sign: BASIC_SIGN }))).not.toThrow();
  });

  it('does not accept a kit signature for the basic family, or the other way round', () => {
    failsWith(kit({ family: 'basic' }), 'signature_invalid');
    failsWith(kit({ rawBody: BASIC_BODY, sign: BASIC_SIGN }), 'signature_invalid');
  });

  it('compares the signature case-insensitively', () => {
    expect(() => verifySignature(kit({ sign: KIT_SIGN.toUpperCase() }))).not.toThrow();
  });

  it('accepts a 10-digit timestamp in seconds, signed as those 10 digits', () => {
    expect(() => verifySignature(signedKit(KIT_BODY, '1680508066'))).not.toThrow();
  });

  it('uses the timestamp in the HMAC exactly as received', () => {
    // Same instant, other spelling: the signature over the 13-digit form does not cover this one.
    failsWith(kit({ timestamp: '1680508066', sign: kitSignature(ACCESS_KEY, NONCE, '1680508066000', KIT_PAYLOAD), now: 1680508066000 }), 'signature_invalid');
  });

  describe('time window', () => {
    it.each([-60_000, 60_000, 0])('accepts a clock difference of %i ms', (delta) => {
      expect(() => verifySignature(kit({ now: NOW + delta }))).not.toThrow();
    });

    it.each([-60_001, 60_001, 3_600_000])('refuses a clock difference of %i ms with timestamp_out_of_window', (delta) => {
      failsWith(kit({ now: NOW + delta }), 'timestamp_out_of_window');
    });

    it('states the allowed window, not the server time', () => {
      const now = NOW + 120_000;
      try {
        verifySignature(kit({ now }));
        expect.unreachable();
      } catch (err) {
        expect((err as Error).message).toContain('±60 s');
        expect((err as Error).message).not.toContain(String(now));
        expect((err as Error).message).not.toContain(new Date(now).toISOString().slice(0, 16));
      }
    });
  });

  describe('failure codes, in check order', () => {
    it('a missing timestamp is timestamp_missing, even with everything else missing too', () => {
      failsWith(kit({ timestamp: undefined, nonce: undefined, sign: undefined }), 'timestamp_missing');
    });

    it('a malformed timestamp is timestamp_missing', () => {
      failsWith(kit({ timestamp: 'yesterday' }), 'timestamp_missing');
    });

    it('a missing or empty nonce is nonce_missing', () => {
      failsWith(kit({ nonce: undefined, sign: undefined }), 'nonce_missing');
      failsWith(kit({ nonce: '' }), 'nonce_missing');
    });

    it('a nonce over 128 characters is invalid_parameter', () => {
      const nonce = 'n'.repeat(129);
      failsWith(kit({ nonce, sign: kitSignature(ACCESS_KEY, nonce, TIMESTAMP, KIT_PAYLOAD) }), 'invalid_parameter');
    });

    it('a nonce of exactly 128 printable characters is fine', () => {
      const nonce = '~'.repeat(128);
      expect(() => verifySignature(kit({ nonce, sign: kitSignature(ACCESS_KEY, nonce, TIMESTAMP, KIT_PAYLOAD) }))).not.toThrow();
    });

    it.each(['abc\ndef', 'abc\u0000', 'nönce', 'tab\there'])('a nonce with non-printable or non-ASCII characters (%j) is invalid_parameter', (nonce) => {
      failsWith(kit({ nonce, sign: kitSignature(ACCESS_KEY, nonce, TIMESTAMP, KIT_PAYLOAD) }), 'invalid_parameter');
    });

    it('a missing or empty signature is signature_missing', () => {
      failsWith(kit({ sign: undefined }), 'signature_missing');
      failsWith(kit({ sign: '' }), 'signature_missing');
    });

    it.each([KIT_SIGN.slice(0, 63), `${KIT_SIGN}00`, `${KIT_SIGN.slice(0, 63)}g`, ` ${KIT_SIGN.slice(1)}`])(
      'a signature that is not 64 hex characters (%s) is signature_invalid',
      (sign) => {
        failsWith(kit({ sign }), 'signature_invalid');
      },
    );

    it('a signature with the wrong key is signature_invalid', () => {
      failsWith(kit({ accessKey: 'other-access-key' }), 'signature_invalid');
    });

    it('a signature for another nonce is signature_invalid', () => {
      failsWith(kit({ nonce: NONCE.toLowerCase() }), 'signature_invalid');
    });
  });

  describe('payload', () => {
    it('verifies a body whose keys arrive unsorted and with nulls', () => {
      const raw = '{"tenantId":"t1","flag":1,"name":null,"appId":"a","clientSecret":null,"testFlag":0}';
      const opts = signedKit(raw, TIMESTAMP);
      expect(canonicalPayloads(raw)[0]).toBe('{"appId":"a","flag":1,"tenantId":"t1","testFlag":0}');
      expect(() => verifySignature(opts)).not.toThrow();
    });

    it('refuses a body whose nested value was tampered with after signing', () => {
      const raw = '{"tenantId":"t1","userList":[{"userName":"alice","role":"user"}]}';
      const opts = signedKit(raw, TIMESTAMP);
      failsWith({ ...opts, rawBody: raw.replace('"user"}', '"admin"}') }, 'signature_invalid');
    });

    it('refuses a body with an added top-level field', () => {
      const opts = signedKit('{"tenantId":"t1"}', TIMESTAMP);
      failsWith({ ...opts, rawBody: '{"tenantId":"t1","flag":0}' }, 'signature_invalid');
    });

    it('ignores a top-level null added after signing (nulls are not signed)', () => {
      const opts = signedKit('{"tenantId":"t1"}', TIMESTAMP);
      expect(() => verifySignature({ ...opts, rawBody: '{"extra":null,"tenantId":"t1"}' })).not.toThrow();
    });

    it('accepts a signature over the raw spelling of nested values (e.g. 1.0)', () => {
      const raw = '{"x":1.0,"tenantId":"t1","list":[{"b":"\\u4e2d"}]}';
      const payloads = canonicalPayloads(raw);
      expect(payloads).toEqual(['{"list":[{"b":"中"}],"tenantId":"t1","x":1}', '{"list":[{"b":"\\u4e2d"}],"tenantId":"t1","x":1.0}']);
      expect(() => verifySignature(signedKit(raw, TIMESTAMP, (p) => p[1]!))).not.toThrow();
      expect(() => verifySignature(signedKit(raw, TIMESTAMP, (p) => p[0]!))).not.toThrow();
    });

    it('refuses a body that is not a JSON object with invalid_json', () => {
      failsWith(kit({ rawBody: '[1,2]' }), 'invalid_json');
    });
  });
});
