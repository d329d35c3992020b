/**
 * A call to the production address built as KooGallery builds it (spec §2): the body sent in its
 * own, unsorted key order, the signature over the canonical (sorted) payload — in headers for the
 * five kit interfaces, in the query for the basic (instance) interfaces. Pure: the nonce and the
 * timestamp are inputs, nothing is sent; the simulator, the self-check and the tests do the I/O.
 */
import { randomBytes } from 'node:crypto';
import { canonicalPayloads } from './canonical.js';
import { basicSignature, kitSignature } from './signature.js';
import type { KitInterface } from './schemas-types.js';

/** What to send: `POST url` with these headers and this body text. */
export interface SignedCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SigningInput {
  /** The production address registered with KooGallery, e.g. `https://bridge.example.com/produce`. */
  productionUrl: string;
  /** Sent as `JSON.stringify(body)`, keys in the order given. */
  body: Record<string, unknown>;
  accessKey: string;
  nonce: string;
  /** Unix milliseconds, as text (spec §2). */
  timestamp: string;
}

/** A nonce as KooGallery's look: 32 random bytes, upper-case hex. */
export const newNonce = (): string => randomBytes(32).toString('hex').toUpperCase();

/** The canonical payload both signature families are computed over: the re-serialized form. */
export const signedPayload = (bodyText: string): string => canonicalPayloads(bodyText)[0]!;

/** The kit path under the production address: `{production address}/produceAPI/v2/{name}` (spec §1). */
export const kitCallUrl = (productionUrl: string, name: KitInterface): string => `${productionUrl.replace(/\/+$/, '')}/produceAPI/v2/${name}`;

/** A kit (sync) call: headers `x-sign`, `x-nonce`, `x-timestamp`. */
export function signKitCall(input: SigningInput & { name: KitInterface }): SignedCall {
  const body = JSON.stringify(input.body);
  const sign = kitSignature(input.accessKey, input.nonce, input.timestamp, signedPayload(body));
  return {
    url: kitCallUrl(input.productionUrl, input.name),
    headers: { 'content-type': 'application/json', 'x-sign': sign, 'x-nonce': input.nonce, 'x-timestamp': input.timestamp },
    body,
  };
}

/** A basic (instance lifecycle) call: `POST {production address}?signature&timestamp&nonce`, the activity in the body. */
export function signBasicCall(input: SigningInput): SignedCall {
  const body = JSON.stringify(input.body);
  const signature = basicSignature(input.accessKey, input.nonce, input.timestamp, signedPayload(body));
  const query = new URLSearchParams({ signature, timestamp: input.timestamp, nonce: input.nonce });
  const separator = input.productionUrl.includes('?') ? '&' : '?';
  return { url: `${input.productionUrl}${separator}${query.toString()}`, headers: { 'content-type': 'application/json' }, body };
}
