/**
 * Huawei API Gateway "SDK-HMAC-SHA256" signing (spec §9): how the merchant signs its calls to
 * KooGallery (the order query) with the seller account's AK/SK, and how a stand-in gateway checks
 * them. Pure: the clock is an argument, nothing here does I/O.
 *
 *   canonical request = METHOD \n canonical URI \n canonical query \n canonical headers \n
 *                       signed headers \n hex(SHA-256(body))
 *   string to sign    = SDK-HMAC-SHA256 \n X-Sdk-Date \n hex(SHA-256(canonical request))
 *   signature         = hex(HMAC-SHA256(SK, string to sign))
 *
 * The encoding follows the gateway SDKs, since the gateway recomputes exactly this: RFC 3986
 * percent-encoding (only A–Z a–z 0–9 - _ . ~ stay as they are, UTF-8, upper-case hex); the path is
 * decoded, split on `/`, each segment re-encoded, and always ends with `/`; query parameters are
 * decoded, sorted by name (and a repeated name's values sorted), re-encoded as `name=value`;
 * header names lower-case and sorted, values trimmed, each line ending with `\n`.
 */
import { createHash, createHmac } from 'node:crypto';
import type { Clock } from '../shared/clock.js';

export const AKSK_ALGORITHM = 'SDK-HMAC-SHA256';
// A caller that does not want the body hashed says so with this value (a gateway SDK option).
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

// A lone surrogate cannot be UTF-8 encoded; the replacement character is what any encoder sends instead.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** RFC 3986 percent-encoding, as the gateway SDKs do it: only A–Z a–z 0–9 - _ . ~ are left alone. */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a stray `%` is signed as it stands
  }
}

/** `X-Sdk-Date`: yyyyMMdd'T'HHmmss'Z', UTC. */
export function sdkDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The path, decoded, split on `/`, each segment re-encoded, ending with `/` (spec §9). */
export function canonicalUri(pathname: string): string {
  const path = decodeLeniently(pathname).split('/').map(encodeRfc3986).join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/** Parameters sorted by name (code-unit order), a repeated name's values sorted, each encoded. */
export function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) byName.set(name, [...(byName.get(name) ?? []), value]);
  return [...byName.keys()]
    .sort()
    .flatMap((name) => byName.get(name)!.sort().map((value) => `${encodeRfc3986(name)}=${encodeRfc3986(value)}`))
    .join('&');
}

/** Header names lower-cased; a name given twice in different cases keeps the later value. */
function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) map.set(name.toLowerCase(), value);
  return map;
}

export interface AkskRequest {
  method: string;
  url: string | URL;
  /** Any case; what is signed is every header listed in `signedHeaders`, or every header given. */
  headers: Readonly<Record<string, string>>;
  /** Default empty (a GET). */
  body?: string;
  /** Lower-case names; default every header given, sorted. */
  signedHeaders?: readonly string[];
}

export interface AkskComputation {
  canonicalRequest: string;
  stringToSign: string;
  /** Lower-case, sorted, as the Authorization header lists them. */
  signedHeaders: string[];
  signature: string;
}

/**
 * The canonical request, string to sign and signature of a request whose headers already carry
 * `X-Sdk-Date` and `Host`. A signed header the request lacks is signed as an empty value, so it
 * can only fail to match. Used to sign, and by a verifier to recompute.
 */
export function computeAksk(secretKey: string, req: AkskRequest): AkskComputation {
  const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
  const headers = lowerCaseHeaders(req.headers);
  const signed = [...new Set((req.signedHeaders ?? [...headers.keys()]).map((n) => n.toLowerCase()))].sort();
  const bodyHash = headers.get('x-sdk-content-sha256') === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(req.body ?? '');
  const canonicalRequest = [
    req.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    signed.map((name) => `${name}:${(headers.get(name) ?? '').trim()}\n`).join(''),
    signed.join(';'),
    bodyHash,
  ].join('\n');
  const stringToSign = `${AKSK_ALGORITHM}\n${headers.get('x-sdk-date') ?? ''}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', secretKey).update(stringToSign, 'utf8').digest('hex');
  return { canonicalRequest, stringToSign, signedHeaders: signed, signature };
}

export interface AkskSignOptions {
  method: string;
  url: string;
  /** Extra headers to sign and send (any case). `X-Sdk-Date`, `Host` and `Content-Type` are added when absent. */
  headers?: Readonly<Record<string, string>>;
  body?: string;
  accessKey: string;
  secretKey: string;
  clock: Clock;
}

/**
 * The headers to send with a signed call: the caller's, plus `X-Sdk-Date` (from the clock),
 * `Host` (the URL's host, with its port when it has one), `Content-Type: application/json` (spec
 * §9 asks for it on every call), and `Authorization`. Every header returned is signed.
 */
export function signAksk(opts: AkskSignOptions): Record<string, string> {
  const url = new URL(opts.url);
  const out: Record<string, string> = { ...opts.headers };
  const present = new Set(Object.keys(out).map((n) => n.toLowerCase()));
  if (!present.has('x-sdk-date')) out['X-Sdk-Date'] = sdkDate(opts.clock.now());
  if (!present.has('host')) out.Host = url.host;
  if (!present.has('content-type')) out['Content-Type'] = 'application/json';
  for (const name of Object.keys(out)) if (name.toLowerCase() === 'authorization') delete out[name];
  const { signedHeaders, signature } = computeAksk(opts.secretKey, { method: opts.method, url, headers: out, body: opts.body ?? '' });
  out.Authorization = `${AKSK_ALGORITHM} Access=${opts.accessKey}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
  return out;
}

export interface AkskAuthorization {
  accessKey: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})$/;

/** The parts of an `Authorization: SDK-HMAC-SHA256 …` header, or null when it has another shape. */
export function parseAkskAuthorization(value: string | undefined): AkskAuthorization | null {
  const m = value === undefined ? null : AUTHORIZATION.exec(value.trim());
  if (!m) return null;
  return { accessKey: m[1]!, signedHeaders: m[2]!.toLowerCase().split(';'), signature: m[3]!.toLowerCase() };
}

/** Unix ms of an `X-Sdk-Date`, or null when it is not yyyyMMdd'T'HHmmss'Z'. */
export function parseSdkDate(value: string | undefined): number | null {
  const m = value === undefined ? null : /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return sdkDate(ms) === value ? ms : null; // refuses 20240231T…, which Date.UTC would roll over
}
