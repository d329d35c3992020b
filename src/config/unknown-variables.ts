/**
 * Variables that look like the bridge's but are not: `KOO_APPID`, `OIDC_CLIENT_FILE`,
 * `REDIS_PREFIX`. Each is ignored, so a typo silently leaves a default in place; each is therefore
 * warned about, once, with the known name it is closest to.
 *
 * The families are the first words of the schema's own variables (KOO_, OIDC_, REDIS_, SESSION_,
 * SHUTDOWN_, and CAS_, METRICS_, AUDIT_, RATE_ as soon as variables of theirs are in the schema),
 * so a variable added to the schema is known here at once. NODE_ is left out: NODE_OPTIONS and
 * NODE_EXTRA_CA_CERTS are Node's own. So are Kubernetes' service links (`REDIS_PORT`,
 * `REDIS_SERVICE_HOST`, `REDIS_PORT_6379_TCP_ADDR`, … for a Service named redis).
 */

/** Prefixes that are not the bridge's even though a variable of the schema starts with them. */
const NOT_OURS = new Set(['NODE']);
const SERVICE_LINK = /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)$/;
// Two edits catch a dropped, doubled or swapped letter and most misspelt words, without
// suggesting an unrelated variable of the same family.
const MAX_SUGGESTION_DISTANCE = 2;

/** Edit distance (insertions, deletions, substitutions), one row at a time. */
export function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The known name closest to `name` within MAX_SUGGESTION_DISTANCE (the first in schema order on a tie), or null. */
export function closestKnown(name: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const candidate of known) {
    const d = levenshtein(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

/** `KOO_`, `OIDC_`, … : the first word of every multi-word variable of the schema. */
export function familiesOf(known: readonly string[]): string[] {
  const words = known.filter((n) => n.includes('_')).map((n) => n.slice(0, n.indexOf('_')));
  return [...new Set(words)].filter((w) => !NOT_OURS.has(w)).map((w) => `${w}_`);
}

/** ` (did you mean KOO_APP_ID?)` when a known name is close, else nothing. */
export const didYouMean = (name: string, known: readonly string[]): string => {
  const suggestion = closestKnown(name, known);
  return suggestion ? ` (did you mean ${suggestion}?)` : '';
};

/** One warning for each variable of a bridge family that the schema does not know, in name order. */
export function unknownVariableWarnings(env: Record<string, string | undefined>, known: readonly string[]): string[] {
  const families = familiesOf(known);
  return Object.keys(env)
    .filter((name) => env[name] !== undefined && families.some((f) => name.startsWith(f)) && !known.includes(name) && !SERVICE_LINK.test(name))
    .sort()
    .map((name) => `${name} is not a koobridge setting and is ignored${didYouMean(name, known)}`);
}
