/**
 * Whether KooGallery would take an answer as a success (spec §4, §6, §7): HTTP 200, a JSON body
 * with resultCode 000000, within the timeout, carrying what the interface must answer.
 */
import type { Delivery } from './deliver.js';
import type { SelfcheckState, SelfcheckStep } from './plan.js';

export const SUCCESS = '000000';

export interface Verdict {
  label: string;
  /** WARN: an optional interface declined (a well-formed refusal); it does not fail the check. */
  verdict: 'PASS' | 'FAIL' | 'WARN';
  /** The answer's resultCode; null when there was none (no answer, not JSON, HTTP error). */
  resultCode: string | null;
  /** resultMsg, or what went wrong in words. */
  message: string;
  ms: number;
  optional: boolean;
}

// Authentication failed, internal error (spec §4): never an acceptable answer, optional or not.
const BROKEN = new Set(['000001', '000005']);

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** The answer as a JSON object, or null. */
function envelopeOf(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function judge(step: SelfcheckStep, delivery: Delivery, state: SelfcheckState, timeoutMs: number): { verdict: Verdict; answer: Record<string, unknown> | null } {
  const base = { label: step.label, ms: delivery.ms, optional: step.optional };
  const failed = (message: string, resultCode: string | null = null, verdict: 'FAIL' | 'WARN' = 'FAIL') => ({
    verdict: { ...base, verdict, resultCode, message },
    answer: null,
  });

  if (delivery.kind === 'timeout') return failed(`no answer within ${seconds(timeoutMs)} (KooGallery gives up after 5 s)`);
  if (delivery.kind === 'unreachable') return failed(`cannot reach the bridge: ${delivery.reason}`);
  if (delivery.status !== 200) return failed(`HTTP ${delivery.status}: KooGallery reads only HTTP 200 answers`);
  const answer = envelopeOf(delivery.text);
  if (answer === null) return failed('the answer is not a JSON object');
  if (typeof answer.resultCode !== 'string') return failed('the answer has no resultCode');
  const resultMsg = typeof answer.resultMsg === 'string' ? answer.resultMsg : '';
  if (answer.resultCode !== SUCCESS) {
    // An optional interface may decline (changeInstanceCheck: "this spec change is not possible"),
    // but not fail the signature or break: those are the merchant's to fix all the same.
    const declined = step.optional && !BROKEN.has(answer.resultCode);
    return failed(resultMsg || '(no resultMsg)', answer.resultCode, declined ? 'WARN' : 'FAIL');
  }
  if (delivery.ms > timeoutMs) return failed(`answered after ${delivery.ms} ms, later than the ${seconds(timeoutMs)} timeout`, answer.resultCode);
  const problem = step.check?.(answer, state) ?? null;
  if (problem !== null) return failed(problem, answer.resultCode);
  return { verdict: { ...base, verdict: 'PASS', resultCode: SUCCESS, message: resultMsg }, answer };
}
