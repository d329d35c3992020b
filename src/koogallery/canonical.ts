/**
 * The canonical payload that KooGallery signs (spec §2): the top-level keys of the JSON body in
 * lexicographic order, `null` values dropped, compact, non-ASCII unescaped, nested values as
 * received.
 *
 * "Nested values as received" is ambiguous in practice. Huawei's Java senders build the payload
 * from parsed objects and re-serialize them, so `1.0` becomes `1`, `\/` becomes `/`, `\u4e2d`
 * becomes `中` — but a sender that copies the received text would keep them. We are liberal in
 * what we accept and strict in what we trust: `canonicalPayloads` returns every plausible form
 * (the re-serialized one first, then the raw-slice one when it differs) and the verifier accepts a
 * signature over any of them. Every form is still keyed by the secret accessKey, so accepting two
 * spellings of the same parsed body lets no one forge anything.
 */
import { KbError } from '../shared/errors.js';
import { assertJsonDepth } from './json-depth.js';

/**
 * Parses a request body that must be one JSON object (not an array, string, number or null),
 * nesting at most MAX_JSON_DEPTH levels (checked on the text first: a body nested thousands of
 * levels deep would otherwise overflow the stack of the recursive steps after the parse).
 */
export function parseJsonObject(raw: string): Record<string, unknown> {
  assertJsonDepth(raw);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new KbError('invalid_json', 'request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KbError('invalid_json', 'request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * The candidate canonical payloads of a raw body, most likely first, without duplicates.
 * Throws `invalid_json` when the body is not one JSON object.
 */
export function canonicalPayloads(raw: string): string[] {
  const parsed = parseJsonObject(raw);
  const reserialized = assemble(
    Object.keys(parsed).map((key) => ({ key, keyText: JSON.stringify(key), valueText: JSON.stringify(parsed[key]) })),
  );
  const rawSlice = assemble(scanTopLevelMembers(raw));
  return rawSlice === reserialized ? [reserialized] : [reserialized, rawSlice];
}

interface Member {
  /** The decoded key: what the order is decided on. */
  key: string;
  /** The key as it will be written into the payload. */
  keyText: string;
  /** The value as it will be written into the payload. */
  valueText: string;
}

// Code-unit order, as Java's String.compareTo (the sender's TreeMap) sorts; spelled out so the
// intent does not hang on Array#sort's default.
const byCodeUnit = (a: Member, b: Member): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function assemble(members: Member[]): string {
  const parts = members
    .filter((m) => m.valueText !== 'null')
    .sort(byCodeUnit)
    .map((m) => `${m.keyText}:${m.valueText}`);
  return `{${parts.join(',')}}`;
}

// JSON's four whitespace characters (RFC 8259 §2): space, tab, LF, CR.
const isJsonSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

/**
 * The top-level members of a body JSON.parse has already accepted, each value as its exact source
 * text (whitespace trimmed around it, nothing changed inside). A repeated key keeps its last value,
 * as JSON.parse does. Only ever called on valid JSON, so it does not re-validate.
 */
function scanTopLevelMembers(raw: string): Member[] {
  const members = new Map<string, Member>();
  let i = skipSpace(raw, 0) + 1; // past the opening brace
  for (;;) {
    i = skipSpace(raw, i);
    if (raw.charCodeAt(i) === 0x7d) break; // `}`: empty object, or after the last member
    const keyEnd = endOfString(raw, i);
    const keyText = raw.slice(i, keyEnd);
    const key = JSON.parse(keyText) as string;
    i = skipSpace(raw, keyEnd) + 1; // past the colon
    const valueStart = skipSpace(raw, i);
    const valueEnd = endOfValue(raw, valueStart);
    // Delete first so a repeated key takes the position of its last occurrence, like JSON.parse
    // (the order does not matter after sorting, but the value must be the last one).
    members.delete(key);
    members.set(key, { key, keyText, valueText: raw.slice(valueStart, valueEnd) });
    i = skipSpace(raw, valueEnd);
    if (raw.charCodeAt(i) === 0x2c) i += 1; // `,`
  }
  return [...members.values()];
}

function skipSpace(raw: string, from: number): number {
  let i = from;
  while (i < raw.length && isJsonSpace(raw.charCodeAt(i))) i += 1;
  return i;
}

/** Index just past the string literal that opens at `start` (a `"`). */
function endOfString(raw: string, start: number): number {
  let i = start + 1;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c === 0x5c) i += 2; // backslash: the next character is escaped, whatever it is
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return raw.length;
}

/** Index just past the value that starts at `start`. */
function endOfValue(raw: string, start: number): number {
  const first = raw.charCodeAt(start);
  if (first === 0x22) return endOfString(raw, start);
  if (first === 0x7b || first === 0x5b) {
    // Object or array: count brackets, stepping over strings whole so brackets inside them and
    // escaped quotes do not count.
    let depth = 0;
    let i = start;
    while (i < raw.length) {
      const c = raw.charCodeAt(i);
      if (c === 0x22) {
        i = endOfString(raw, i);
        continue;
      }
      if (c === 0x7b || c === 0x5b) depth += 1;
      else if (c === 0x7d || c === 0x5d) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    return raw.length;
  }
  // Number, true, false or null: runs until a separator or whitespace.
  let i = start;
  while (i < raw.length) {
    const c = raw.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || isJsonSpace(c)) break;
    i += 1;
  }
  return i;
}
