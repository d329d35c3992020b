/**
 * The API Gateway in front of KooGallery's open APIs (spec §9): every call must carry an
 * `SDK-HMAC-SHA256` signature by the seller's AK/SK. The gateway recomputes it from the request as
 * received — method, path, query, the headers the caller says it signed, the body — and refuses
 * anything else with its own 401 JSON, before the API sees the call. Recomputed with the same
 * module the bridge signs with; the vector test of that module is what ties both to the real gateway.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { computeAksk, parseAkskAuthorization, parseSdkDate } from '../../src/koogallery/aksk.js';
import type { SimSeller } from './types.js';

// The gateway accepts an X-Sdk-Date up to 15 minutes away from its clock, either way.
const DATE_WINDOW_MS = 15 * 60 * 1000;
// Huawei API Gateway's code for a refused AK/SK authentication.
const AUTH_FAILED = 'APIG.0301';

const headerText = (value: string | string[] | undefined): string => (Array.isArray(value) ? value.join(',') : (value ?? ''));

function refuse(ctx: Parameters<Middleware>[0], reason: string): void {
  ctx.status = 401;
  ctx.body = { error_code: AUTH_FAILED, error_msg: `Incorrect IAM authentication information: ${reason}`, request_id: randomUUID().replace(/-/g, '') };
}

/** Checks the signature of a GET (no body); calls `next` only for a call the gateway would pass. */
export function gatewayAuth(seller: SimSeller, now: () => number): Middleware {
  return async (ctx, next) => {
    const auth = parseAkskAuthorization(ctx.get('authorization') || undefined);
    if (!auth) return refuse(ctx, 'Authorization header is missing or malformed');
    if (auth.accessKey !== seller.accessKey) return refuse(ctx, 'access key not found');
    if (!auth.signedHeaders.includes('host') || !auth.signedHeaders.includes('x-sdk-date')) {
      return refuse(ctx, 'host and x-sdk-date must be signed');
    }
    const date = parseSdkDate(ctx.get('x-sdk-date') || undefined);
    if (date === null || Math.abs(now() - date) > DATE_WINDOW_MS) return refuse(ctx, 'x-sdk-date is missing, malformed or expired');

    const headers = Object.fromEntries(Object.entries(ctx.req.headers).map(([name, value]) => [name, headerText(value)]));
    const expected = computeAksk(seller.secretKey, {
      method: ctx.method,
      url: new URL(ctx.originalUrl, 'http://gateway.invalid'), // only the path and query are signed from the URL
      headers,
      body: '',
      signedHeaders: auth.signedHeaders,
    });
    if (!timingSafeEqual(Buffer.from(expected.signature, 'hex'), Buffer.from(auth.signature, 'hex'))) {
      return refuse(ctx, 'verify aksk signature fail');
    }
    await next();
  };
}
