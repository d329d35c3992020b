/**
 * Plays the plan against the production address, one call after the other as KooGallery would:
 * each signed the moment it is sent (fresh nonce and timestamp), kit calls with the kit key, basic
 * calls with the basic key. When the bridge cannot be reached at all the run stops there: every
 * further call would only say the same.
 */
import { newNonce, signBasicCall, signKitCall, type SignedCall } from '../../koogallery/signed-request.js';
import { deliver, type Fetch } from './deliver.js';
import { judge, type Verdict } from './judge.js';
import type { SelfcheckState, SelfcheckStep } from './plan.js';

export interface RunSettings {
  productionUrl: string;
  accessKey: string;
  basicAccessKey: string;
  timeoutMs: number;
  now: () => number;
  fetch?: Fetch;
}

export interface RunResult {
  verdicts: Verdict[];
  /** Labels of the calls not sent because the bridge could not be reached. */
  notRun: string[];
  /** Why the bridge could not be reached, when it could not. */
  unreachable: string | null;
  /** Every signature sent, so no output can quote one. */
  signatures: string[];
}

export async function runPlan(steps: SelfcheckStep[], initial: SelfcheckState, settings: RunSettings, onVerdict: (v: Verdict, soFar: RunResult) => void = () => {}): Promise<RunResult> {
  const state = { ...initial };
  const result: RunResult = { verdicts: [], notRun: [], unreachable: null, signatures: [] };
  for (const [i, step] of steps.entries()) {
    const call = sign(step, state, settings);
    result.signatures.push(signatureOf(call));
    const delivery = await deliver(call, settings.timeoutMs, settings.fetch);
    const { verdict, answer } = judge(step, delivery, state, settings.timeoutMs);
    if (answer !== null) step.learn?.(answer, state);
    result.verdicts.push(verdict);
    onVerdict(verdict, result);
    if (delivery.kind === 'unreachable') {
      result.unreachable = delivery.reason;
      result.notRun = steps.slice(i + 1).map((s) => s.label);
      break;
    }
  }
  return result;
}

function sign(step: SelfcheckStep, state: SelfcheckState, s: RunSettings): SignedCall {
  const common = { productionUrl: s.productionUrl, body: step.body(state), nonce: newNonce(), timestamp: String(s.now()) };
  return step.kit === null ? signBasicCall({ ...common, accessKey: s.basicAccessKey }) : signKitCall({ ...common, name: step.kit, accessKey: s.accessKey });
}

const signatureOf = (call: SignedCall): string => call.headers['x-sign'] ?? new URL(call.url).searchParams.get('signature') ?? '';
