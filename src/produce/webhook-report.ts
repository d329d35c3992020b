/**
 * One `webhook` observation per KooGallery call answered, refusals included (a bad signature, a
 * malformed body): what the sync log keeps, the bridge's side of KooGallery's "生产接口消息".
 * The summary is built from the handler's log summary (counts, flags, changes; never personal data
 * or secrets) or, for a refusal, the error code; the interface is only named once it is known
 * (a kit path the bridge serves, a basic activity read from a verified body), `unknown` before.
 */
import { toKbError } from '../shared/errors.js';
import { isTenantId } from '../shared/identifiers.js';
import type { Observations } from '../shared/observations.js';
import { originOf, type AppContext } from '../http/state.js';
import type { KooEnvelope } from './envelope.js';
import { isKitInterface } from './kit-handlers.js';

export interface WebhookOutcome {
  answer: Pick<KooEnvelope, 'resultCode' | 'resultMsg'>;
  /** The handler's summary of an applied call. */
  summary?: Record<string, unknown>;
  /** What refused the call. */
  refusal?: unknown;
  /** The body of a byte-identical resend (authentic: a copy of a call that was verified and applied). */
  resend?: Record<string, unknown>;
}

const MAX_SUMMARY = 200;

const ACTIVITY = /^[A-Za-z]{1,40}$/;

function interfaceOf(context: Record<string, unknown>, resend: Record<string, unknown> | undefined): string {
  if (typeof context.activity === 'string') return context.activity;
  if (context.interface === 'basic' && typeof resend?.activity === 'string' && ACTIVITY.test(resend.activity)) return resend.activity;
  const name = context.interface;
  return typeof name === 'string' && isKitInterface(name) ? name : 'unknown';
}

/** `flag=1, users=3, change=created`: the summary's plain values, identifiers left to their own fields. */
function describe(summary: Record<string, unknown>): string {
  const parts = Object.entries(summary)
    .filter(([name, value]) => name !== 'tenantId' && name !== 'instanceId' && ['string', 'number', 'boolean'].includes(typeof value))
    .map(([name, value]) => `${name}=${String(value)}`);
  const text = parts.join(', ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}

const idOf = (value: unknown) => (typeof value === 'string' && isTenantId(value) ? value : undefined);

export function reportWebhook(observations: Observations | undefined, ctx: AppContext, context: Record<string, unknown>, startedMs: number, outcome: WebhookOutcome): void {
  if (!observations) return;
  const summary = outcome.summary ?? outcome.resend ?? {};
  const tenantId = idOf(summary.tenantId);
  const instanceId = idOf(summary.instanceId);
  const text = outcome.refusal !== undefined ? `refused: ${toKbError(outcome.refusal).code}` : outcome.resend ? 'resend: the first answer repeated' : describe(summary);
  observations.emit({
    kind: 'webhook',
    interface: interfaceOf(context, outcome.resend),
    resultCode: outcome.answer.resultCode,
    message: outcome.answer.resultMsg,
    summary: text,
    ...(tenantId ? { tenantId } : {}),
    ...(instanceId ? { instanceId } : {}),
    durationMs: Math.max(0, performance.now() - startedMs),
    ...originOf(ctx),
  });
}
