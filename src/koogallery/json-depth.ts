/**
 * How deep a request body may nest, checked on the raw text before JSON.parse. KooGallery's
 * deepest body is allOrgSync's `orgInfoList` (body → list → department → field: 3 levels); 64 is
 * far beyond any of them and far below what recursive serialisers (JSON.stringify of the canonical
 * payload) and validators can walk without exhausting the stack. One linear pass, no allocation.
 */
import { KbError } from '../shared/errors.js';

export const MAX_JSON_DEPTH = 64;

/**
 * Throws `invalid_json` when `raw` opens more than `max` arrays or objects inside one another.
 * Brackets inside string literals do not count; the text need not be valid JSON (JSON.parse judges
 * that afterwards), so a malformed body is either refused here for its depth or there for its syntax.
 */
export function assertJsonDepth(raw: string, max: number = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character, whatever it is
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) throw new KbError('invalid_json', `request body nests deeper than ${max} levels`);
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
}
