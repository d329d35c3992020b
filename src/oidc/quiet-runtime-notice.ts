/**
 * Drops oidc-provider's own "Unsupported runtime" message, so that the process states its runtime
 * once, in its own words (shared/runtime.ts, logged by main.ts at start).
 *
 * How the library says it: lib/index.js of oidc-provider 9, when its module is evaluated, checks
 * `process.release.lts` (anything older than the 'Jod' line, Node 22, or no LTS at all, or Deno,
 * Bun, workerd) and calls `console.warn("oidc-provider WARNING: Unsupported runtime. Use Node.js
 * v22.x LTS, or a later LTS release.")`, in bold red on a terminal. That happens on every
 * evaluation: once per process, once per test file under vitest.
 *
 * How it is dropped: this module must be evaluated right before oidc-provider, which is why
 * oidc/library.ts — the only module that imports oidc-provider's values — imports it first (ES
 * modules evaluate a module's imports in the order they are written). Evaluating it replaces
 * console.warn with a filter that drops exactly that message and passes every other one;
 * library.ts calls endQuietImport() in its own body, which runs as soon as oidc-provider has been
 * evaluated, and console.warn is the original again. Nothing is muted at any other time, and no
 * other message is muted at all. If a later oidc-provider words it differently, the message
 * simply shows again (test/unit/oidc/library.test.ts fails first).
 */
const LIBRARY_NOTICE = /^oidc-provider WARNING: Unsupported runtime\./;
// The library colours the line when stderr is a terminal.
const ANSI_SGR = /\x1b\[[0-9;]*m/g;

/** Whether console.warn's arguments are oidc-provider's unsupported-runtime message. */
export function isUnsupportedRuntimeNotice(args: readonly unknown[]): boolean {
  return args.length === 1 && typeof args[0] === 'string' && LIBRARY_NOTICE.test(args[0].replace(ANSI_SGR, ''));
}

const originalWarn = console.warn;
const filteredWarn = function warn(...args: unknown[]): void {
  if (isUnsupportedRuntimeNotice(args)) return;
  originalWarn.apply(console, args);
};
console.warn = filteredWarn;

/** Puts console.warn back (unless something else has replaced it meanwhile). */
export function endQuietImport(): void {
  if (console.warn === filteredWarn) console.warn = originalWarn;
}
