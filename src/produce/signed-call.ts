/**
 * What every KooGallery call goes through, basic or kit, cheapest check first:
 *   1. POST, a known interface, Content-Type application/json, a declared size within the limit;
 *   2. the signing inputs: timestamp present and within ±60 s, nonce and signature well formed —
 *      all of it before a byte of the body is read, so a request that cannot be authentic costs
 *      neither a read nor a parse;
 *   3. the body, read within the size limit and a deadline (BODY_READ_TIMEOUT_MS; a body that does
 *      not arrive in time is refused and its connection closed);
 *   4. JSON at most 64 levels deep (checked on the text), one object, well-formed Unicode;
 *   5. an authentic signature and a fresh nonce (or a byte-identical resend), then the handler.
 * Whatever happens the answer is HTTP 200 with a result code, and a refused call has written
 * nothing: every check runs before the first write, and only an authentic call consumes its nonce.
 */
import { parseJsonObject } from '../koogallery/canonical.js';
import { assertWellFormedStrings } from '../koogallery/well-formed.js';
import { BodyTimeoutError, checkJsonRequestHeaders, readJsonText } from '../http/raw-body.js';
import type { AppContext } from '../http/state.js';
import { isKbError, KbError } from '../shared/errors.js';
import { failure, sendEnvelope, type KooEnvelope } from './envelope.js';
import type { ReplayGuard, SignedRequest } from './replay-guard.js';
import { KOO_RESULT } from './result-codes.js';
import type { Observations } from '../shared/observations.js';
import { reportWebhook } from './webhook-report.js';

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

export interface SignedCallDeps {
  guard: ReplayGuard;
  bodyLimit: number;
  /** How long the body may take to arrive (BODY_READ_TIMEOUT_MS unless a test injects a shorter one). */
  bodyTimeoutMs?: number;
  /**
   * Told of each call whose signature is missing or wrong (after the check, so a valid call is
   * never counted or refused): answers the error to send instead (the rate limit's), or null.
   */
  onSignatureFailure?: (ctx: AppContext) => Promise<KbError | null>;
  /** Where every answered call is reported (the sync log listens). */
  observations?: Observations;
}

export async function runSignedCall(ctx: AppContext, deps: SignedCallDeps, call: SignedCall): Promise<void> {
  const started = performance.now();
  try {
    if (ctx.method !== 'POST') throw new KbError('method_not_allowed', `${ctx.method} is not allowed: KooGallery interfaces are POST`);
    call.precheck?.();
    checkJsonRequestHeaders(ctx.req, deps.bodyLimit);
    const signing = call.signing(ctx);
    deps.guard.precheck(signing);
    const rawBody = await readJsonText(ctx.req, deps.bodyLimit, deps.bodyTimeoutMs === undefined ? {} : { timeoutMs: deps.bodyTimeoutMs });
    const body = parseJsonObject(rawBody);
    assertWellFormedStrings(body);
    const admission = await deps.guard.admit({ ...signing, rawBody });
    if (admission.resend) {
      ctx.state.log.info({ ...call.context, resultCode: admission.resend.resultCode }, 'webhook resent; first answer repeated');
      send(ctx, admission.resend, call);
      reportWebhook(deps.observations, ctx, call.context, started, { answer: admission.resend, resend: body });
      return;
    }
    const { answer, summary } = await call.handle(body);
    if (answer.resultCode === KOO_RESULT.success) await admission.remember(answer).catch(() => undefined);
    ctx.state.log.info({ ...call.context, ...summary, resultCode: answer.resultCode }, 'webhook applied');
    send(ctx, answer, call);
    reportWebhook(deps.observations, ctx, call.context, started, { answer, summary });
  } catch (err) {
    // A body that did not arrive in time is not waited for any longer: answer, then close.
    if (err instanceof BodyTimeoutError) ctx.set('Connection', 'close');
    const limited = deps.onSignatureFailure && isSignatureFailure(err) ? await deps.onSignatureFailure(ctx) : null;
    const answer = failure(ctx, limited ?? err, call.context);
    sendEnvelope(ctx, answer);
    reportWebhook(deps.observations, ctx, call.context, started, { answer, refusal: err });
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

const isSignatureFailure = (err: unknown): boolean => isKbError(err, 'signature_missing') || isKbError(err, 'signature_invalid');
