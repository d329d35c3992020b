/**
 * No log call of src/ names a field the logger censors (`code`, `ticket`, `token`, …): such a field
 * is either a secret that should never have been passed or, more often, a harmless value (a CAS
 * error code, an admin refusal's error code) that the censor silently turns into "[redacted]".
 * Both were found once. What this reads: every call whose object is written inline on one line
 * without nested braces — most of them; an object built elsewhere, or spread over lines, is not seen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REDACT_PATHS } from '../../../src/shared/logger.js';

const SRC = path.resolve(import.meta.dirname, '../../../src');
const CENSORED = REDACT_PATHS.filter((p) => /^[A-Za-z_]+$/.test(p));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level keys of each `<logger>.<level>({ … }, …)` object literal written on one line. */
function loggedKeys(text: string): { line: number; keys: string[] }[] {
  const found: { line: number; keys: string[] }[] = [];
  text.split('\n').forEach((source, i) => {
    for (const m of source.matchAll(/\b(?:log|logger|child)\??\.(?:trace|debug|info|warn|error|fatal)\(\{([^{}]*)\}/g)) {
      const keys = [...m[1]!.matchAll(/(?:^|,)\s*([A-Za-z_$][\w$]*)\s*(?::|,|$)/g)].map((k) => k[1]!);
      found.push({ line: i + 1, keys });
    }
  });
  return found;
}

describe('log fields', () => {
  it('the censored names are known (the check below reads real ones)', () => {
    expect(CENSORED).toEqual(expect.arrayContaining(['code', 'ticket', 'token', 'secret', 'password']));
  });

  it('the reader finds keys, shorthand included', () => {
    expect(loggedKeys("ctx.state.log.info({ errorCode: e.code, reason }, 'x');")).toEqual([{ line: 1, keys: ['errorCode', 'reason'] }]);
    expect(loggedKeys("logger.warn({ code: 'X' }, 'y')")).toEqual([{ line: 1, keys: ['code'] }]);
  });

  it('no log call in src/ passes a field the logger censors', () => {
    const offending = sources(SRC).flatMap((file) =>
      loggedKeys(readFileSync(file, 'utf8')).flatMap(({ line, keys }) => keys.filter((k) => CENSORED.includes(k)).map((k) => `${path.relative(SRC, file)}:${line} ${k}`)),
    );
    expect(offending).toEqual([]);
  });
});
