/**
 * How a refused request is answered, per door: every door gets `Retry-After` (whole seconds) and
 * the status of `rate_limited` (429); a browser page reads in the person's language (html-errors),
 * an API answers the JSON error with its stable code. (The KooGallery door answers its envelope:
 * `webhookRefusal`, which produce/ sends.)
 */
import { htmlErrors } from '../http/html-errors.js';
import { jsonErrors } from '../http/json-errors.js';
import type { AppContext, AppMiddleware } from '../http/state.js';
import { KbError } from '../shared/errors.js';
import type { Refusal } from './limit.js';

export type Door = 'html' | 'json';

const DOORS: Record<Door, AppMiddleware> = { html: htmlErrors(), json: jsonErrors() };

/** The error a refusal is answered with; its message is for operators and API callers. */
export const refusalError = (refusal: Refusal): KbError =>
  new KbError('rate_limited', `too many requests (limit ${refusal.limit}, per ${refusal.scope}): retry after ${refusal.retryAfterSeconds} s`, {
    details: { limit: refusal.limit, retryAfterSeconds: refusal.retryAfterSeconds },
  });

/** Answers the refusal through the door (the page or JSON body, logged once like every refusal). */
export async function answerRefusal(ctx: AppContext, refusal: Refusal, door: Door): Promise<void> {
  ctx.set('Retry-After', String(refusal.retryAfterSeconds));
  await DOORS[door](ctx, async () => {
    throw refusalError(refusal);
  });
}

/** The origin of a request as the limits see it: ctx.ip (TRUST_PROXY decides), the request id. */
