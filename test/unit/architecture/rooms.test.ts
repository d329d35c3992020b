/**
 * The room table of the README, enforced: every relative import of src/ goes from a room to one it
 * may use, the marketplace dialect imports nothing that does I/O, production code never imports the
 * tools or the examples, there is no import circle, and no file grows past the size we read in one go.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

/** room → rooms it may import (besides itself). `app` and `main` are the wiring and may use all. */
const MAY_USE: Record<string, readonly string[]> = {
  shared: [],
  config: ['store', 'koogallery', 'shared'], // their parsers: one rule, one message
  koogallery: ['shared'],
  outbound: ['shared'],
  store: ['shared'],
  connectors: ['koogallery', 'outbound', 'shared'],
  directory: ['store', 'koogallery', 'shared'],
  produce: ['koogallery', 'directory', 'http', 'store', 'shared'],
  sessions: ['store', 'shared'],
  http: ['store', 'shared'],
  login: ['connectors', 'directory', 'sessions', 'http', 'store', 'shared'],
  oidc: ['sessions', 'directory', 'store', 'http', 'shared'],
  'cas-server': ['sessions', 'directory', 'store', 'http', 'shared'],
  ops: ['store', 'shared'],
  metrics: ['koogallery', 'http', 'store', 'shared'],
  audit: ['store', 'shared'],
  admin: ['directory', 'sessions', 'store', 'http', 'shared'],
  console: ['http', 'store', 'shared'],
  cli: ['config', 'koogallery', 'oidc', 'store', 'shared'],
  ratelimit: ['store', 'http', 'shared'],
};

/** Node built-ins that do I/O: the marketplace dialect must stay pure. */
const IO_MODULES = /^node:(http|https|net|dns|fs|fs\/promises|child_process|tls|dgram)$|^(ioredis|koa|@koa\/router)$/;
const PURE_EXCEPTIONS = new Set(['node:net']); // BlockList/isIP only, in shared/ip-ranges.ts

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const roomOf = (file: string): string => {
  const rel = path.relative(SRC, file);
  const first = rel.split(path.sep)[0]!;
  return first.endsWith('.ts') ? first.replace(/\.ts$/, '') : first;
};

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1]!);
}

const all = files(SRC);
const edges = new Map<string, string[]>(
  all.map((file) => [
    file,
    importsOf(file)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts')),
  ]),
);

describe('rooms', () => {
  it('every room imports only the rooms the table lets it use', () => {
    const violations: string[] = [];
    for (const [file, targets] of edges) {
      const from = roomOf(file);
      if (from === 'app' || from === 'main') continue;
      const allowed = MAY_USE[from];
      if (!allowed) {
        violations.push(`${path.relative(SRC, file)}: room ${from} is not in the table`);
        continue;
      }
      for (const target of targets) {
        const to = roomOf(target);
        if (to !== from && !allowed.includes(to)) violations.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the marketplace dialect and the shared vocabulary import nothing that does I/O', () => {
    const offenders = all
      .filter((f) => ['koogallery', 'shared'].includes(roomOf(f)))
      .flatMap((f) => importsOf(f).filter((spec) => IO_MODULES.test(spec) && !PURE_EXCEPTIONS.has(spec)).map((spec) => `${path.relative(SRC, f)}: ${spec}`));
    expect(offenders).toEqual([]);
  });

  it('production code never imports the tools or the examples', () => {
    const offenders = [...edges].flatMap(([file, targets]) => targets.filter((t) => !t.startsWith(SRC + path.sep)).map((t) => `${path.relative(SRC, file)} → ${t}`));
    expect(offenders).toEqual([]);
  });

  it('there is no import circle', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        circles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'visiting');
      for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of all) visit(file, []);
    expect(circles).toEqual([]);
  });

  it('no file is over 300 lines', () => {
    const long = all.map((f) => [path.relative(SRC, f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
