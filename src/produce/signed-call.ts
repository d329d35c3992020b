/**
 * What every KooGallery call goes through, basic or kit: POST only, a JSON object body within the
 * limit, an authentic signature and a fresh nonce (or a byte-identical resend), then the handler.
 * Whatever happens the answer is HTTP 200 with a result code, and a refused call has written
 * nothing: every check runs before the first write, and only an authentic call consumes its nonce.
 */
import { parseJsonObject } from '../koogallery/canonical.js';
import { readJsonText } from '../http/raw-body.js';
import type { AppContext } from '../http/state.js';
import { KbError } from '../shared/errors.js';
import { failure, sendEnvelope, type KooEnvelope } from './envelope.js';
import type { ReplayGuard, SignedRequest } from './replay-guard.js';
import { KOO_RESULT } from './result-codes.js';

export interface SignedCall {
  /** For logs: the kit interface or basic activity, once known. */
  context: Record<string, unknown>;
  /** Where the signature, nonce and timestamp travel (headers for kit, query for basic). */
  signing(ctx: AppContext): Omit<SignedRequest, 'rawBody'>;
  /** Checks that need no body (the interface name); throw to refuse. */
  precheck?(): void;
  /** Applies the verified body; returns the success answer and a summary for the log line. */
  handle(body: Record<string, unknown>): Promise<{ answer: KooEnvelope; summary: Record<string, unknown> }>;
  /** Serialises the answer; JSON by default (queryInstance writes non-ASCII as \uXXXX). */
  serialize?(answer: KooEnvelope): string;
}

export async function runSignedCall(ctx: AppContext, deps: { guard: ReplayGuard; bodyLimit: number }, call: SignedCall): Promise<void> {
  try {
    if (ctx.method !== 'POST') throw new KbError('method_not_allowed', `${ctx.method} is not allowed: KooGallery interfaces are POST`);
    call.precheck?.();
    const rawBody = await readJsonText(ctx.req, deps.bodyLimit);
    const body = parseJsonObject(rawBody);
    const admission = await deps.guard.admit({ ...call.signing(ctx), rawBody });
    if (admission.resend) {
      ctx.state.log.info({ ...call.context, resultCode: admission.resend.resultCode }, 'webhook resent; first answer repeated');
      send(ctx, admission.resend, call);
      return;
    }
    const { answer, summary } = await call.handle(body);
    if (answer.resultCode === KOO_RESULT.success) await admission.remember(answer).catch(() => undefined);
    ctx.state.log.info({ ...call.context, ...summary, resultCode: answer.resultCode }, 'webhook applied');
    send(ctx, answer, call);
  } catch (err) {
    sendEnvelope(ctx, failure(ctx, err, call.context));
  }
}

function send(ctx: AppContext, answer: KooEnvelope, call: SignedCall): void {
  if (call.serialize) {
    ctx.status = 200;
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = call.serialize(answer);
  } else {
    sendEnvelope(ctx, answer);
  }
}
