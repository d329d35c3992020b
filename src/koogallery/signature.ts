/**
 * KooGallery webhook signatures (spec §2): HMAC-SHA256 keyed with the accessKey, over the
 * canonical payload, for the kit family (headers) and the basic family (query parameters).
 * The replay cache for nonces is not here: it needs the store (see produce/).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { KbError } from '../shared/errors.js';
import { canonicalPayloads } from './canonical.js';

const hmacHex = (key: string, message: string): string => createHmac('sha256', key).update(message, 'utf8').digest('hex');

/** Kit interfaces: `x-sign` = hex(HMAC(accessKey, accessKey + nonce + timestamp + payload)). */
export function kitSignature(accessKey: string, nonce: string, timestamp: string, payload: string): string {
  return hmacHex(accessKey, accessKey + nonce + timestamp + payload);
}

/** Basic interfaces: the payload enters the signature as its own HMAC, lowercase hex. */
export function basicBodyHash(accessKey: string, payload: string): string {
  return hmacHex(accessKey, payload);
}

/** Basic interfaces: `signature` = hex(HMAC(accessKey, accessKey + nonce + timestamp + bodyHash)). */
export function basicSignature(accessKey: string, nonce: string, timestamp: string, payload: string): string {
  return hmacHex(accessKey, accessKey + nonce + timestamp + basicBodyHash(accessKey, payload));
}

/**
 * A KooGallery timestamp as Unix milliseconds. The documentation says milliseconds (13 digits);
 * one old page says seconds, so 10 digits are read as seconds (spec §2).
 */
export function parseTimestamp(value: string | undefined): number {
  if (value === undefined || value === '') throw new KbError('timestamp_missing', 'timestamp is missing');
  if (/^\d{13}$/.test(value)) return Number(value);
  if (/^\d{10}$/.test(value)) return Number(value) * 1000;
  throw new KbError('timestamp_missing', 'timestamp must be Unix time in milliseconds (13 digits) or seconds (10 digits)');
}

// A nonce only needs to be unique; bounding it keeps the replay cache's keys small and printable.
const MAX_NONCE_LENGTH = 128;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const SIGN_FORMAT = /^[0-9a-fA-F]{64}$/;

export interface VerifyOptions {
  family: 'kit' | 'basic';
  accessKey: string;
  sign: string | undefined;
  nonce: string | undefined;
  /** Used in the HMAC exactly as received (a 10-digit value is signed as those 10 digits). */
  timestamp: string | undefined;
  rawBody: string;
  /** Our clock, Unix ms. */
  now: number;
  /** Allowed distance between the request's timestamp and `now`, either way. */
  windowMs: number;
}

/** What the signing inputs are checked against before any body is read. */
export type SigningInputs = Omit<VerifyOptions, 'accessKey' | 'family' | 'rawBody'>;

/**
 * The checks that need no body, in the order the error codes of spec §2 imply: a timestamp within
 * the window, a usable nonce, a signature of the right shape (64 hex digits). They cost nothing,
 * so a request failing them is refused before its body is read, parsed or canonicalised.
 */
export function checkSigningInputs(opts: SigningInputs): void {
  const ts = parseTimestamp(opts.timestamp);
  if (Math.abs(opts.now - ts) > opts.windowMs) {
    // The message names the rule, not our clock: the server time is no business of the caller's.
    throw new KbError('timestamp_out_of_window', `timestamp is outside the allowed window of ±${formatWindow(opts.windowMs)}`);
  }

  const nonce = opts.nonce;
  if (nonce === undefined || nonce === '') throw new KbError('nonce_missing', 'nonce is missing');
  if (nonce.length > MAX_NONCE_LENGTH || !PRINTABLE_ASCII.test(nonce)) {
    throw new KbError('invalid_parameter', `nonce must be 1 to ${MAX_NONCE_LENGTH} printable ASCII characters`, { details: { field: 'nonce' } });
  }

  const sign = opts.sign;
  if (sign === undefined || sign === '') throw new KbError('signature_missing', 'signature is missing');
  if (!SIGN_FORMAT.test(sign)) throw new KbError('signature_invalid', 'signature does not match');
}

/**
 * Throws a coded KbError unless the request carries a fresh timestamp, a usable nonce and a
 * signature that matches the body (checkSigningInputs first, then the HMAC over every canonical
 * form of the body). The nonce's novelty is the caller's business.
 */
export function verifySignature(opts: VerifyOptions): void {
  checkSigningInputs(opts);
  const given = Buffer.from(opts.sign as string, 'hex'); // hex decoding ignores case: the compare is case-insensitive
  const nonce = opts.nonce as string;
  const timestamp = opts.timestamp as string;
  let matched = false;
  // Every candidate is compared, without stopping at the first match, so the time taken does not
  // tell which spelling of the payload was signed.
  for (const payload of canonicalPayloads(opts.rawBody)) {
    const expected =
      opts.family === 'kit'
        ? kitSignature(opts.accessKey, nonce, timestamp, payload)
        : basicSignature(opts.accessKey, nonce, timestamp, payload);
    matched = timingSafeEqual(given, Buffer.from(expected, 'hex')) || matched;
  }
  if (!matched) throw new KbError('signature_invalid', 'signature does not match');
}

function formatWindow(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
