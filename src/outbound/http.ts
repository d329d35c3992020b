/**
 * The one way the bridge calls out — a tenant IdP, or KooGallery's order query: a single HTTP
 * exchange on node:http / node:https.
 * Not fetch: undici ignores a custom `lookup`, and the address guard below depends on one (it is
 * also what nock intercepts in tests).
 *
 * Rules, each for a reason:
 * - https only (http when insecure IdPs are allowed, for development): the request carries the
 *   tenant's clientSecret and users' codes;
 * - redirects are never followed: a 3xx could send the secret-bearing request somewhere else, so the
 *   caller sees the 3xx and refuses it;
 * - one deadline covers DNS, connect, TLS and the whole body: a slow-drip answer must not hold a
 *   login (and a worker) longer than a slow connect would;
 * - bodies are capped: an IdP answer is a few hundred bytes, never megabytes;
 * - unless insecure IdPs are allowed, every address the host resolves to is checked and the socket
 *   connects to exactly that checked address (see outbound-address.ts).
 * Error messages name the peer (`peer`, "tenant IdP" by default), the host and the reason, never the
 * query string (which may carry a ticket) nor any header (which may carry a signature).
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { KbError } from '../shared/errors.js';
import { checkLiteralHost, guardedLookup } from './address.js';

export { isForbiddenAddress } from './address.js';

export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  allowInsecure: boolean;
  /** Largest accepted response body; 1 MiB by default. */
  maxBytes?: number;
  /** Who is called, as error messages name it; "tenant IdP" by default. */
  peer?: string;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

// Far above any token, userinfo or CAS answer (a few KiB at most), far below what could hurt us.
const DEFAULT_MAX_BYTES = 1024 * 1024;
const INSECURE_HINT = 'KOO_ALLOW_INSECURE_IDP=1 allows it, for development only';
const DEFAULT_PEER = 'tenant IdP';

// Separate keep-alive pools: a socket opened without the address guard (insecure mode) must never
// be handed to a guarded request to the same host, and the reverse.
const agents = {
  guarded: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
  open: { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) },
};
// One guarded lookup per peer label, so that its refusal names the peer too.
const lookups = new Map<string, LookupFunction>();
const lookupFor = (peer: string): LookupFunction => {
  let lookup = lookups.get(peer);
  if (!lookup) lookups.set(peer, (lookup = guardedLookup(undefined, peer)));
  return lookup;
};

function parseTarget(raw: string, allowInsecure: boolean, peer: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new KbError('idp_forbidden_address', `${peer} address is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new KbError('idp_forbidden_address', `${peer} must be reached over https (${url.protocol} is refused)`);
  }
  if (url.protocol === 'http:' && !allowInsecure) {
    // The hint names the tenant-IdP setting: other peers have no such switch in production.
    const hint = peer === DEFAULT_PEER ? `; ${INSECURE_HINT}` : '';
    throw new KbError('idp_forbidden_address', `${peer} must be reached over https (http:// is refused${hint})`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new KbError('idp_forbidden_address', `${peer} URL must not contain credentials`);
  }
  if (!allowInsecure) checkLiteralHost(url.hostname, peer);
  return url;
}

// Node's connection error codes, told in words an operator can act on.
const REASONS: Record<string, string> = {
  ENOTFOUND: 'host name does not resolve',
  EAI_AGAIN: 'host name could not be resolved right now',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate could not be verified',
  CERT_HAS_EXPIRED: 'TLS certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
};

function connectionError(peer: string, host: string, err: unknown): KbError {
  if (err instanceof KbError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reason = (code !== undefined && REASONS[code]) || (code !== undefined ? `connection failed (${code})` : 'connection failed');
  return new KbError('idp_unavailable', `${peer} ${host}: ${reason}`, { cause: err });
}

/** Sends one request and reads the whole answer, whatever its status. Every failure is a rejection. */
export async function outboundRequest(opts: OutboundRequest): Promise<OutboundResponse> {
  const peer = opts.peer ?? DEFAULT_PEER;
  const url = parseTarget(opts.url, opts.allowInsecure, peer);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const host = url.hostname;
  const secure = url.protocol === 'https:';
  const pool = opts.allowInsecure ? agents.open : agents.guarded;
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));

  return new Promise<OutboundResponse>((resolve, reject) => {
    let settled = false;
    // The deadline starts before DNS and ends with the last body byte.
    const timer = setTimeout(
      // `details.timeout` lets reporters (idp_call observations) tell a deadline from a refusal.
      () => finish(new KbError('idp_unavailable', `${peer} did not answer within ${opts.timeoutMs} ms`, { details: { timeout: true } })),
      opts.timeoutMs,
    );
    const finish = (err: KbError | null, value?: OutboundResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(value!);
    };

    const req = (secure ? https : http).request(
      url,
      {
        method: opts.method,
        headers,
        agent: secure ? pool.https : pool.http,
        ...(opts.allowInsecure ? {} : { lookup: lookupFor(peer) }),
      },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          finish(new KbError('idp_bad_response', `${peer} answer is larger than ${maxBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            finish(new KbError('idp_bad_response', `${peer} answer is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err) => finish(connectionError(peer, host, err)));
        // A connection dropped mid-body closes the response without 'end'; finish() ignores the
        // 'close' that follows a normal end.
        res.on('close', () => {
          if (!res.complete) finish(connectionError(peer, host, Object.assign(new Error('closed mid-answer'), { code: 'ECONNRESET' })));
        });
      },
    );

    req.on('error', (err) => finish(connectionError(peer, host, err)));
    req.end(opts.body);
  });
}
