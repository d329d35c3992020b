/**
 * What the merchant reads: one line per call (`PASS tenantSync 000000 23 ms`,
 * `FAIL authSync 000002 "userList[0].role: …" 12 ms`), a summary line, or the same as one JSON
 * document. Whatever the bridge answered is quoted, cut short, and cleared of every secret the run
 * holds (access keys, admin token, clientSecret, signatures), should any server ever echo one.
 */
import type { Verdict } from './judge.js';
import type { RunResult } from './run.js';

const NO_CODE = '------';
const MAX_MESSAGE = 300;

export interface Counts {
  passed: number;
  failed: number;
  /** Optional interfaces that declined. */
  warnings: number;
  notRun: number;
}

/** Replaces every occurrence of a secret; empty strings are ignored. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('[redacted]'), text);
}

const quoted = (message: string, secrets: readonly string[]): string => {
  const clean = redact(message, secrets);
  return JSON.stringify(clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean);
};

export function verdictLine(v: Verdict, secrets: readonly string[]): string {
  const parts: string[] = [v.verdict, v.label, v.resultCode ?? NO_CODE];
  if (v.verdict !== 'PASS') parts.push(quoted(v.message, secrets));
  parts.push(`${v.ms} ms`);
  if (v.optional) parts.push('(optional)');
  return parts.join(' ');
}

export function countsOf(run: RunResult): Counts {
  const count = (kind: Verdict['verdict']) => run.verdicts.filter((v) => v.verdict === kind).length;
  return { passed: count('PASS'), failed: count('FAIL'), warnings: count('WARN'), notRun: run.notRun.length };
}

export const allPassed = (c: Counts): boolean => c.failed === 0 && c.notRun === 0;

export function summaryLine(c: Counts): string {
  let line = `selfcheck: ${c.passed} passed, ${c.failed} failed`;
  if (c.warnings > 0) line += `, ${c.warnings} optional declined`;
  if (c.notRun > 0) line += `, ${c.notRun} not sent`;
  return line;
}

// What a failing result code most likely means when the self-check sent it (spec §2, §4).
const HINTS: Record<string, string> = {
  '000001': "000001: the signature was refused: the key given here is not the bridge's KOO_ACCESS_KEY (kit calls) or KOO_BASIC_ACCESS_KEY (basic calls)",
  '000002': "000002: a value was refused, the message names it: an appId means --app-id is not in the bridge's KOO_APP_ID; a clientSecret means --public-key is not the public half of the bridge's private key; a timestamp means this machine's clock is off",
  '000003': '000003: the instance is unknown: newInstance did not create it',
  '000005': "000005: the bridge could not do it: is its store (Redis) up? See the bridge's log",
};

/** One line per distinct failing result code that has a likely cause worth naming. */
export function hintLines(run: RunResult): string[] {
  const codes = new Set(run.verdicts.filter((v) => v.verdict === 'FAIL' && v.resultCode !== null).map((v) => v.resultCode!));
  return [...codes].filter((c) => HINTS[c] !== undefined).map((c) => `hint: ${HINTS[c]}`);
}

export interface JsonReportInput {
  productionUrl: string;
  tenantId: string;
  timeoutMs: number;
  run: RunResult;
  purge: { purged: Record<string, number> } | { error: string } | null;
  secrets: readonly string[];
}

export function jsonReport(input: JsonReportInput): string {
  const counts = countsOf(input.run);
  const doc = {
    productionUrl: input.productionUrl,
    testTenant: input.tenantId,
    timeoutMs: input.timeoutMs,
    passed: allPassed(counts),
    counts,
    results: input.run.verdicts.map((v) => ({
      interface: v.label,
      verdict: v.verdict,
      resultCode: v.resultCode,
      message: redact(v.message, input.secrets).slice(0, MAX_MESSAGE),
      ms: v.ms,
      optional: v.optional,
    })),
    notSent: input.run.notRun,
    unreachable: input.run.unreachable === null ? null : redact(input.run.unreachable, input.secrets),
    purge: input.purge,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
