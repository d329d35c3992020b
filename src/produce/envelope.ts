import { reportError } from '../http/error-report.js';
import { toKbError } from '../shared/errors.js';
import { KOO_RESULT, resultCodeOf, type KooResultCode } from './result-codes.js';
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
  const resultCode = resultCodeOf(toKbError(thrown).code);
  const err = reportError(ctx.state.log, thrown, 'webhook', { ...context, resultCode });
  return { resultCode, resultMsg: err.publicMessage };
}
