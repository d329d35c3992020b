/**
 * oidc-provider's own "Unsupported runtime" message is dropped (the process states its runtime
 * once itself, see shared/runtime.ts), and nothing else is: see src/oidc/quiet-runtime-notice.ts.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isUnsupportedRuntimeNotice } from '../../../src/oidc/quiet-runtime-notice.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const LIBRARY_TEXT = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';

/**
 * Imports `what` in a fresh node (this test's runtime) that oidc-provider takes for an unsupported
 * one whatever it really is (no LTS name: the library's check reads process.release.lts), then
 * warns once more itself; returns what was written to stderr.
 */
function importOnUnsupportedRuntime(what: string): string {
  const code = [
    "Object.defineProperty(process, 'release', { value: { ...process.release, lts: undefined }, configurable: true });",
    `await import(${JSON.stringify(what)});`,
    "console.warn('a warning after the import');",
  ].join('\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  expect(child.status, child.stderr).toBe(0);
  return child.stderr;
}

describe("oidc-provider's unsupported-runtime message", () => {
  it('is recognised as the library writes it, plain or coloured for a terminal', () => {
    expect(isUnsupportedRuntimeNotice([LIBRARY_TEXT])).toBe(true);
    expect(isUnsupportedRuntimeNotice([`\x1b[31;1m${LIBRARY_TEXT}\x1b[0m`])).toBe(true);
  });

  it('is the only message recognised: other library warnings and anything else pass', () => {
    expect(isUnsupportedRuntimeNotice(['oidc-provider WARNING: a quick start development-only in-memory adapter is used'])).toBe(false);
    expect(isUnsupportedRuntimeNotice(['Unsupported runtime'])).toBe(false);
    expect(isUnsupportedRuntimeNotice([LIBRARY_TEXT, 'more'])).toBe(false);
    expect(isUnsupportedRuntimeNotice([new Error(LIBRARY_TEXT)])).toBe(false);
  });

  it('is still printed by oidc-provider itself, in these words, on a runtime it does not support', () => {
    const stderr = importOnUnsupportedRuntime('oidc-provider');
    expect(stderr).toContain(LIBRARY_TEXT);
  });

  it('is not printed when oidc-provider is imported through src/oidc/library.ts, and console.warn works again after', () => {
    const stderr = importOnUnsupportedRuntime('./src/oidc/library.ts');
    expect(stderr).not.toContain('Unsupported runtime');
    expect(stderr).toContain('a warning after the import');
  });

  it('no module but src/oidc/library.ts imports values from oidc-provider (type imports are erased)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.[cm]?[jt]s$/.test(entry.name)) {
          const source = readFileSync(path, 'utf8');
          const valueImport = /^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]oidc-provider['"]|import\(\s*['"]oidc-provider['"]\s*\)/m;
          if (valueImport.test(source)) offenders.push(relative(root, path));
        }
      }
    };
    for (const dir of ['src', 'test', 'tools', 'examples', 'bench']) walk(join(root, dir));
    expect(offenders).toEqual(['src/oidc/library.ts']);
  });
});
