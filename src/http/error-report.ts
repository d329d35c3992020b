/**
 * What every door does first with a failure, whatever it then answers: turn it into a KbError and
 * log it once — unexpected errors with their stack, refusals with their code and reason. Messages
 * are ours and never carry a secret; the stack goes to the log only.
 */
import { toKbError, type KbError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

export function reportError(log: Pick<Logger, 'error' | 'warn'>, thrown: unknown, what: string, context: Record<string, unknown> = {}): KbError {
  const err = toKbError(thrown);
  if (err.code === 'internal') log.error({ ...context, err: thrown }, `${what} failed`);
  else log.warn({ ...context, errorCode: err.code, reason: err.message }, `${what} refused`);
  return err;
}

/** The JSON body of an error: `{ "error": { "code", "message", "details"? } }`, the same at every JSON door. */
export const jsonErrorBody = (err: KbError) => ({ error: { code: err.code, message: err.publicMessage, ...(err.details ? { details: err.details } : {}) } });
