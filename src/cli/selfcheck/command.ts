/**
 * `koobridge selfcheck --url <production address>`: plays KooGallery's interface debugging
 * against a running bridge — every interface, signed as KooGallery signs, with the debugging's
 * made-up values — and says per interface whether KooGallery would take the answer, so a merchant
 * knows before registering that onboarding will pass. Exit code 0 only when every required call
 * passed (and, with --admin-token, the test data was purged).
 */
import { encryptClientSecret } from '../../koogallery/client-secret.js';
import type { Fetch } from './deliver.js';
import { readSelfcheckOptions } from './options.js';
import { selfcheckPlan } from './plan.js';
import { purgeLine, purgeTestData, type PurgeOutcome } from './purge.js';
import { allPassed, countsOf, hintLines, jsonReport, redact, summaryLine, verdictLine } from './report.js';
import { runPlan } from './run.js';
import { makeSelfcheckData } from './test-data.js';

export interface SelfcheckIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What tests may replace; the command itself uses the real ones. */
export interface SelfcheckDeps {
  fetch?: Fetch;
  now?: () => number;
  random?: (bytes: number) => string;
  readFile?: (path: string) => string;
}

export async function selfcheck(args: string[], env: Record<string, string | undefined>, io: SelfcheckIo, deps: SelfcheckDeps = {}): Promise<number> {
  const o = readSelfcheckOptions(args, env, deps.readFile);
  const now = deps.now ?? Date.now;
  const data = makeSelfcheckData(o.appId, deps.random);
  const steps = selfcheckPlan(data, { now, encrypt: (secret) => encryptClientSecret(secret, o.publicKey) });
  const secrets = [o.accessKey, o.basicAccessKey, data.clientSecret, ...(o.adminToken ? [o.adminToken] : [])];
  const say = (text: string) => {
    if (!o.json) io.out(`${text}\n`);
  };

  if (new URL(o.productionUrl).protocol === 'http:') {
    io.err('selfcheck: note: KooGallery calls only https production addresses (TLS 1.2 or later); this run goes over http\n');
  }
  say(`selfcheck: ${steps.length} calls to ${o.productionUrl} as KooGallery's interface debugging sends them (test tenant ${data.tenantId}, testFlag 1)`);
  const run = await runPlan(
    steps,
    { instanceId: data.businessId },
    { productionUrl: o.productionUrl, accessKey: o.accessKey, basicAccessKey: o.basicAccessKey, timeoutMs: o.timeoutMs, now, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    (verdict, soFar) => say(verdictLine(verdict, [...secrets, ...soFar.signatures])),
  );
  secrets.push(...run.signatures);
  if (run.unreachable !== null) {
    io.err(`selfcheck: cannot reach ${o.productionUrl}: ${redact(run.unreachable, secrets)}. Is the bridge running, and is --url the production address it serves? ${run.notRun.length} calls not sent.\n`);
  }

  let purge: PurgeOutcome | null = null;
  if (o.adminToken !== null && run.unreachable === null) {
    purge = await purgeTestData(o.productionUrl, o.adminToken, o.timeoutMs, deps.fetch);
    say(redact(purgeLine(purge), secrets));
  }

  const counts = countsOf(run);
  if (o.json) io.out(jsonReport({ productionUrl: o.productionUrl, tenantId: data.tenantId, timeoutMs: o.timeoutMs, run, purge, secrets }));
  else {
    hintLines(run).forEach(say);
    say(summaryLine(counts));
  }
  return allPassed(counts) && (purge === null || 'purged' in purge) ? 0 : 1;
}
