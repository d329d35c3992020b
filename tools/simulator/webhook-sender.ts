/**
 * The KooGallery side of the calls to the production address (the five kit and the five basic
 * interfaces), for the simulator, the tests and the benchmarks: each call is built by the pure
 * builders of src/koogallery (signed as KooGallery signs, spec §2; the body in its own unsorted key
 * order), sent, and its envelope read. Tests may lay faults over a call (a replayed nonce, a stale
 * timestamp, a wrong signature, another body or content type).
 */
import { newNonce, signBasicCall, signKitCall, type SignedCall } from '../../src/koogallery/signed-request.js';
import type { KitInterface } from '../../src/koogallery/schemas.js';

// RSA-OAEP as KooGallery encrypts clientSecrets (spec §3): production code now, which the
// self-check shares; still exported here for the simulator's callers.
export { encryptClientSecret } from '../../src/koogallery/client-secret.js';

export interface KooEnvelopeAnswer {
  status: number;
  resultCode: string;
  resultMsg: string;
  [extra: string]: unknown;
}

export interface SendOptions {
  /** Override the signing inputs, e.g. to replay a nonce or send a stale timestamp. */
  nonce?: string;
  timestamp?: string;
  accessKey?: string;
  /** Replace the computed signature. */
  sign?: string;
  /** Send exactly this text instead of JSON.stringify(body) (signature still over `body`). */
  rawBody?: string;
  contentType?: string;
}

export type SignedKitRequest = SignedCall;

export function createWebhookSender(opts: { productionUrl: string; accessKey: string; basicAccessKey?: string; now?: () => number }) {
  const now = opts.now ?? Date.now;
  const inputs = (body: Record<string, unknown>, o: SendOptions, accessKey: string) => ({
    productionUrl: opts.productionUrl,
    body,
    accessKey: o.accessKey ?? accessKey,
    nonce: o.nonce ?? newNonce(),
    timestamp: o.timestamp ?? String(now()),
  });
  /** The faults a test asks for, laid over the faithful call. */
  const withFaults = (req: SignedCall, o: SendOptions): SignedCall => ({
    url: req.url,
    headers: { ...req.headers, ...(o.contentType !== undefined ? { 'content-type': o.contentType } : {}) },
    body: o.rawBody ?? req.body,
  });

  function sign(name: KitInterface, body: Record<string, unknown>, o: SendOptions = {}): SignedKitRequest {
    const req = withFaults(signKitCall({ ...inputs(body, o, opts.accessKey), name }), o);
    return o.sign === undefined ? req : { ...req, headers: { ...req.headers, 'x-sign': o.sign } };
  }

  /** A basic (instance lifecycle) call: `POST {production address}?signature&timestamp&nonce` (spec §2, §6). */
  function signBasic(body: Record<string, unknown>, o: SendOptions = {}): SignedKitRequest {
    const req = withFaults(signBasicCall(inputs(body, o, opts.basicAccessKey ?? opts.accessKey)), o);
    if (o.sign === undefined) return req;
    const url = new URL(req.url);
    url.searchParams.set('signature', o.sign);
    return { ...req, url: url.toString() };
  }

  return {
    sign,
    signBasic,
    send: (name: KitInterface, body: Record<string, unknown>, o: SendOptions = {}) => post(sign(name, body, o)),
    sendBasic: (body: Record<string, unknown>, o: SendOptions = {}) => post(signBasic(body, o)),
    /** Sends a request exactly as signed before: a KooGallery resend (same nonce, same body). */
    post,
  };
}

async function post(req: SignedKitRequest): Promise<KooEnvelopeAnswer> {
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body, redirect: 'manual' });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`bridge answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, resultCode: String(json.resultCode), resultMsg: String(json.resultMsg), ...json };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
