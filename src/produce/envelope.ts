import { KOO_RESULT, toKbError, type KooResultCode } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';

export interface KooEnvelope {
  resultCode: KooResultCode;
  resultMsg: string;
  [extra: string]: unknown;
}

/** KooGallery reads the result code, not the HTTP status: every answer is HTTP 200 (spec §4). */
export function sendEnvelope(ctx: AppContext, envelope: KooEnvelope): void {
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = envelope;
}

export const success = (extra: Record<string, unknown> = {}): KooEnvelope => ({ resultCode: KOO_RESULT.success, resultMsg: 'success', ...extra });

/** Maps anything thrown to the envelope and logs it; internal detail never reaches KooGallery. */
export function failure(ctx: AppContext, thrown: unknown, context: Record<string, unknown>): KooEnvelope {
  const err = toKbError(thrown);
  if (err.code === 'internal') ctx.state.log.error({ ...context, err: thrown }, 'webhook failed');
  else ctx.state.log.warn({ ...context, errorCode: err.code, resultCode: err.kooResult, reason: err.message }, 'webhook refused');
  return { resultCode: err.kooResult, resultMsg: err.publicMessage };
}
