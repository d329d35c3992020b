/**
 * JSON text as KooGallery's documentation writes it. The allOrgSync example in both the V1 and the
 * V2 page sends `orgInfoList` as a string whose keys are unquoted, JavaScript-literal style
 * (`[{orgCode:"00000001", orgName:"产品部", parentCode:""}]`, spec §5.5), which JSON.parse refuses.
 * JSON5 is the well-kept grammar for exactly that (a superset of JSON: unquoted keys, single
 * quotes, trailing commas, comments), parsed as data by the json5 package, never evaluated.
 *
 * Strict JSON is tried first, so every body KooGallery sends as real JSON is read as before; JSON5
 * is only the fallback. Whatever either parser returns is validated by the caller's schema.
 */
import JSON5 from 'json5';

/**
 * How deep a value read from a string may nest. The lists KooGallery sends as strings are flat
 * (array → entry → field: 2 levels); anything much deeper is not a list of ours. The text itself
 * is bounded by the request body limit (PRODUCE_BODY_LIMIT) before it gets here.
 */
export const MAX_NESTING = 8;

/** The value `text` holds as JSON, else as JSON5; undefined when neither reads it. */
export function parseJsonOrJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // not strict JSON: try the documentation's relaxed form below
  }
  try {
    return JSON5.parse(text);
  } catch {
    return undefined;
  }
}

/** True when `value` nests arrays and objects deeper than `max` levels (counted without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > max) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth });
  }
  return false;
}
