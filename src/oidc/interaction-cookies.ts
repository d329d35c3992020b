/**
 * oidc-provider scopes its two interaction cookies (and their signatures) to the interaction's own
 * path, `/oidc/interaction/<uid>` and `/oidc/auth/<uid>`: a browser keeps four new cookies per
 * authorization request, for the interaction's lifetime, and an app that retries (or a user who
 * abandons sign-ins) piles them up until the Cookie header outgrows what servers accept. Scoped to
 * the fixed parents instead, each new interaction replaces the previous one's cookies: at most four.
 * The price: one sign-in in progress per browser; an older tab that comes back is told to start
 * again (interactions.ts), and the login it made is used by that restart.
 */
const NAMES = /^(_interaction|_interaction_resume)(\.sig)?=/;
const PATHS: [RegExp, string][] = [
  [/;\s*path=\/oidc\/interaction\/[^;]*/i, '; path=/oidc/interaction'],
  [/;\s*path=\/oidc\/auth\/[^;]*/i, '; path=/oidc/auth'],
];

/** Rewrites the path of the interaction cookies among these Set-Cookie lines; others are left alone. */
export function boundInteractionCookies(lines: string[]): string[] {
  return lines.map((line) => (NAMES.test(line) ? PATHS.reduce((l, [from, to]) => l.replace(from, to), line) : line));
}
