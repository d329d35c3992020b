/**
 * The KooGallery side of the calls to the production address (the five kit and the five basic
 * interfaces), for the simulator, the self-check, the tests and the benchmarks:
 * signs each call exactly as KooGallery does (spec §2), sends the body in its own (unsorted)
 * key order as KooGallery does, and encrypts clientSecrets with the bridge's public key (spec §3).
 */
import { constants, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';
import { canonicalPayloads } from '../../src/koogallery/canonical.js';
import { basicSignature, kitSignature } from '../../src/koogallery/signature.js';
import type { KitInterface } from '../../src/koogallery/schemas.js';

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

export interface SignedKitRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function createWebhookSender(opts: { productionUrl: string; accessKey: string; basicAccessKey?: string; now?: () => number }) {
  const now = opts.now ?? Date.now;

  function sign(name: KitInterface, body: Record<string, unknown>, o: SendOptions = {}): SignedKitRequest {
    const text = JSON.stringify(body);
    const nonce = o.nonce ?? randomBytes(32).toString('hex').toUpperCase();
    const timestamp = o.timestamp ?? String(now());
    const accessKey = o.accessKey ?? opts.accessKey;
    const sign = o.sign ?? kitSignature(accessKey, nonce, timestamp, canonicalPayloads(text)[0]!);
    return {
      url: `${opts.productionUrl}/produceAPI/v2/${name}`,
      headers: { 'content-type': o.contentType ?? 'application/json', 'x-sign': sign, 'x-nonce': nonce, 'x-timestamp': timestamp },
      body: o.rawBody ?? text,
    };
  }

  /** A basic (instance lifecycle) call: `POST {production address}?signature&timestamp&nonce` (spec §2, §6). */
  function signBasic(body: Record<string, unknown>, o: SendOptions = {}): SignedKitRequest {
    const text = JSON.stringify(body);
    const nonce = o.nonce ?? randomBytes(32).toString('hex').toUpperCase();
    const timestamp = o.timestamp ?? String(now());
    const accessKey = o.accessKey ?? opts.basicAccessKey ?? opts.accessKey;
    const signature = o.sign ?? basicSignature(accessKey, nonce, timestamp, canonicalPayloads(text)[0]!);
    const query = new URLSearchParams({ signature, timestamp, nonce });
    return { url: `${opts.productionUrl}?${query.toString()}`, headers: { 'content-type': o.contentType ?? 'application/json' }, body: o.rawBody ?? text };
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

/** RSA-OAEP as KooGallery sends it; the default is Java's OAEPWithSHA-256AndMGF1Padding hash choice where Node allows it. */
export function encryptClientSecret(plaintext: string, publicKey: KeyObject | string, oaepHash: 'sha256' | 'sha1' = 'sha256'): string {
  return publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, Buffer.from(plaintext, 'utf8')).toString('base64');
}
