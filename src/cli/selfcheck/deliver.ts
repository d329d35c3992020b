/**
 * Sends one signed call as KooGallery does — POST, no redirects followed, given up after the
 * timeout (KooGallery's is 5 s, spec §7) — and times it to the last byte of the answer.
 */
import type { SignedCall } from '../../koogallery/signed-request.js';

export type Delivery =
  | { kind: 'answered'; status: number; text: string; ms: number }
  | { kind: 'timeout'; ms: number }
  /** No answer at all: refused, unknown host, broken TLS… `reason` never quotes the URL (it carries the signature). */
  | { kind: 'unreachable'; reason: string; ms: number };

export type Fetch = typeof fetch;

export async function deliver(call: SignedCall, timeoutMs: number, fetchImpl: Fetch = fetch): Promise<Delivery> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const res = await fetchImpl(call.url, { method: 'POST', headers: call.headers, body: call.body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    return { kind: 'answered', status: res.status, text, ms: elapsed() };
  } catch (err) {
    const ms = elapsed();
    const name = (err as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', ms };
    return { kind: 'unreachable', reason: transportReason(err), ms };
  }
}

const WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed TLS certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host name',
};

/** The cause in words with its code, e.g. `connection refused (ECONNREFUSED)`; Node's fetch hides it under `cause`. */
export function transportReason(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause ?? err;
  const code = (cause as { code?: unknown }).code;
  if (typeof code === 'string') return `${WORDS[code] || (cause as Error).message || 'failed'} (${code})`;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message || 'the request failed';
}
