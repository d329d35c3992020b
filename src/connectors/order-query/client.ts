/**
 * The merchant's call to KooGallery's order query (spec §9): what a buyer bought, for the handler
 * of newInstance (and upgrades, renewals) to act on. A GET signed with the seller account's AK/SK
 * (koogallery/aksk.ts), sent through outbound/ (https only, one deadline per attempt, no redirects,
 * public addresses only), answered as a normalized `OrderFacts` (koogallery/schemas-order.ts).
 *
 * Fallback: KooGallery publishes two hosts. When the primary cannot be reached, times out or
 * answers 5xx / 429, the fallback is tried once, freshly signed for its own Host. A 4xx, a redirect
 * or a refusal in the body is an answer, not an outage: asking the other host would not change it.
 *
 * No message or detail ever carries the AK, the SK, a signature or the Authorization header.
 */
import { KbError, isKbError } from '../../shared/errors.js';
import { signAksk, encodeRfc3986 } from '../../koogallery/aksk.js';
import { ORDER_QUERY_PATH, parseOrderQueryAnswer, type OrderFacts } from '../../koogallery/schemas-order.js';
import { outboundRequest, type OutboundResponse } from '../../outbound/http.js';
import { jsonObject } from '../idp-errors.js';
import { readOrderIds, refusalMessage } from './answer-text.js';

export type { OrderFacts } from '../../koogallery/schemas-order.js';

export const DEFAULT_ORDER_QUERY_HOSTS = ['mkt.myhuaweicloud.com', 'mkt.myhuaweicloud.cn'] as const;
// Two attempts must fit in the 5 s KooGallery gives a newInstance handler to answer (spec §2).
const DEFAULT_TIMEOUT_MS = 2000;
// An order with its lines is a few KiB; a quarter MiB is room for a big one, and no more.
const MAX_ANSWER_BYTES = 256 * 1024;
const PEER = 'KooGallery order query';

export interface OrderQueryOptions {
  /** The seller account's AK/SK (not the webhook accessKey). */
  accessKey: string;
  secretKey: string;
  /**
   * Primary, then fallback (optional). A host name is reached over https; a full origin
   * (`http://127.0.0.1:4000`) is taken as it is — http only passes with `allowInsecure`.
   * Default mkt.myhuaweicloud.com, then mkt.myhuaweicloud.cn.
   */
  hosts?: readonly [string] | readonly [string, string];
  /** Deadline of each attempt, DNS to last byte; 2000 ms by default. */
  timeoutMs?: number;
  /** Clock for X-Sdk-Date; Date.now by default. */
  now?: () => number;
  /**
   * Tests and the demo only, never production: lets the client reach the KooGallery simulator
   * over http:// on a loopback or private address.
   */
  allowInsecure?: boolean;
}

export interface OrderQuery {
  /** The order (or one of its lines) as KooGallery has it; a coded KbError otherwise. */
  query(p: { orderId: string; orderLineId?: string }): Promise<OrderFacts>;
}

function originOf(host: string): string {
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new KbError('config_invalid', `${PEER}: host ${JSON.stringify(host)} is not a host name or an origin`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new KbError('config_invalid', `${PEER}: host ${JSON.stringify(host)} must be a host name or an origin, without a path`);
  }
  return url.origin;
}

const isOutage = (res: OutboundResponse): boolean => res.status >= 500 || res.status === 429;

export function createOrderQuery(opts: OrderQueryOptions): OrderQuery {
  const origins = (opts.hosts ?? DEFAULT_ORDER_QUERY_HOSTS).map(originOf);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = { now: opts.now ?? Date.now };
  const allowInsecure = opts.allowInsecure ?? false;
  const secrets = [opts.accessKey, opts.secretKey];

  /** One signed GET; an outage (network, deadline, 5xx / 429) comes back as `order_query_unavailable`. */
  async function attempt(origin: string, query: string): Promise<OutboundResponse> {
    const url = `${origin}${ORDER_QUERY_PATH}?${query}`;
    const headers = signAksk({ method: 'GET', url, accessKey: opts.accessKey, secretKey: opts.secretKey, clock });
    let res: OutboundResponse;
    try {
      res = await outboundRequest({ url, method: 'GET', headers, timeoutMs, allowInsecure, maxBytes: MAX_ANSWER_BYTES, peer: PEER });
    } catch (err) {
      if (!isKbError(err)) throw err;
      // outbound/ speaks in tenant-IdP codes; its messages already name this peer, and most the host.
      const { hostname } = new URL(origin);
      const message = err.message.includes(hostname) ? err.message : `${err.message} (${hostname})`;
      throw new KbError(err.code === 'idp_unavailable' ? 'order_query_unavailable' : 'order_query_failed', message, { cause: err });
    }
    if (isOutage(res)) {
      throw new KbError('order_query_unavailable', `${PEER} ${new URL(origin).host} answered HTTP ${res.status}`, { details: { status: res.status } });
    }
    return res;
  }

  async function send(query: string): Promise<OutboundResponse> {
    let firstFailure: KbError | undefined;
    for (const origin of origins) {
      try {
        return await attempt(origin, query);
      } catch (err) {
        if (!isKbError(err, 'order_query_unavailable')) throw err;
        if (firstFailure !== undefined) {
          throw new KbError('order_query_unavailable', `${err.message}; the primary host failed first: ${firstFailure.message}`, { cause: err });
        }
        firstFailure = err;
      }
    }
    throw firstFailure!; // a single configured host, and it failed
  }

  return {
    async query(p) {
      const ids = readOrderIds(p);
      // Sent exactly as it is signed: sorted by name, RFC 3986-encoded.
      const query = Object.entries(ids)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => `${name}=${encodeRfc3986(value)}`)
        .join('&');
      const res = await send(query);

      if (res.status >= 300 && res.status < 400) {
        throw new KbError('order_query_failed', `${PEER} answered with a redirect (HTTP ${res.status}); not followed`, { details: { status: res.status } });
      }
      const body = jsonObject(res.text);
      if (res.status < 200 || res.status >= 300) {
        const gatewayCode = typeof body?.error_code === 'string' && /^[A-Za-z0-9_.]{1,40}$/.test(body.error_code) ? body.error_code : undefined;
        const hint = res.status === 401 || res.status === 403 ? "; check the seller account's AK/SK and this host's clock" : '';
        throw new KbError('order_query_failed', `${PEER} refused the call (HTTP ${res.status}${gatewayCode ? `, ${gatewayCode}` : ''})${hint}`, {
          details: { status: res.status, ...(gatewayCode ? { gatewayCode } : {}) },
        });
      }
      if (body === null) throw new KbError('order_query_failed', `${PEER} answer is not a JSON object`);

      const answer = parseOrderQueryAnswer(body);
      if (answer.order === undefined) {
        const { message, resultCode, resultMsg } = refusalMessage(answer, ids.orderId, secrets);
        throw new KbError('order_query_failed', message, { details: { resultCode, resultMsg } });
      }
      if (answer.order.orderId !== ids.orderId) {
        throw new KbError('order_query_failed', `${PEER} answered for another order than ${ids.orderId}`);
      }
      return answer.order;
    },
  };
}
