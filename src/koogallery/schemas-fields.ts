/**
 * Field readers for the kit bodies. KooGallery's fields come in several documented spellings
 * (a flag as 1 or "1", a list as an array or a JSON string of one, a time as 17 GMT+8 digits or as
 * Unix ms), which plain zod types cannot fold into one value with a message per field. So each
 * field is a small reader — value in, normalized value out, or a `FieldProblem` — and `field()`
 * turns a reader into a zod schema, letting zod do what it is good at: objects, arrays and the
 * path of the first offending field.
 */
import { z } from 'zod';
import { IDENTIFIER_CHARS, isWellFormedText, MAX_IDENTIFIER_LENGTH } from '../shared/identifiers.js';
import { MAX_NESTING, nestsDeeperThan, parseJsonOrJson5 } from './relaxed-json.js';

/** A reader's refusal; the message is shown after the field path, e.g. `flag: required`. */
export class FieldProblem extends Error {}

const problem = (message: string): never => {
  throw new FieldProblem(message);
};

/** A zod schema running `read` on the field's value (undefined when the key is absent). */
export function field<T>(read: (value: unknown) => T) {
  // `.optional()` tells zod the key may be absent; the reader then decides what absence means.
  return z.unknown().optional().transform((value, ctx): T => {
    try {
      return read(value);
    } catch (err) {
      if (!(err instanceof FieldProblem)) throw err;
      // `input` is required by zod's issue type; zod does not copy it into messages.
      ctx.issues.push({ code: 'custom', message: err.message, input: value });
      return z.NEVER;
    }
  });
}

const isAbsent = (value: unknown): value is null | undefined => value === undefined || value === null;

// C0 controls, DEL and C1 controls: never meaningful in a name or code, and a line break in a
// value is how log lines and headers get forged.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

interface TextRule {
  max: number;
  /** For values that may legitimately carry line breaks (wrapped Base64). */
  allowControls?: boolean;
}

function checkedText(value: string, rule: TextRule): string {
  if (value.length > rule.max) problem(`must be at most ${rule.max} characters`);
  if (rule.allowControls !== true && CONTROL.test(value)) problem('must not contain control characters');
  if (!isWellFormedText(value)) problem('must be well-formed Unicode (it holds a lone UTF-16 surrogate)');
  return value;
}

/** A required string, trimmed, non-empty. */
export const requiredText =
  (rule: TextRule) =>
  (value: unknown): string => {
    if (isAbsent(value)) return problem('required');
    if (typeof value !== 'string') return problem('must be a string');
    const text = value.trim();
    if (text === '') return problem('must not be empty');
    return checkedText(text, rule);
  };

/** An optional string, trimmed; absent, null and empty all mean "not given" (null). */
export const optionalText =
  (rule: TextRule) =>
  (value: unknown): string | null => {
    if (isAbsent(value)) return null;
    if (typeof value !== 'string') return problem('must be a string');
    const text = value.trim();
    return text === '' ? null : checkedText(text, rule);
  };

/** instanceId / orderId: empty during the seller's own credential application (spec §5). */
export const emptyableId = (value: unknown): string => optionalText({ max: 64 })(value) ?? '';

/** tenantId / appId: 1–64 characters of `A-Z a-z 0-9 . _ ~ : @ -`. */
export const identifier = (value: unknown): string => {
  if (isAbsent(value) || value === '') return problem('required');
  if (typeof value !== 'string') return problem('must be a string');
  if (value.length > MAX_IDENTIFIER_LENGTH) return problem(`must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
  if (!IDENTIFIER_CHARS.test(value)) return problem('may contain only letters, digits and . _ ~ : @ -');
  return value;
};

/** An integer code from a closed set, as a JSON integer or a one-digit string ("1"). */
export const code =
  <T extends number>(allowed: readonly T[]) =>
  (value: unknown): T => {
    if (isAbsent(value)) return problem('required');
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d$/.test(value) ? Number(value) : NaN;
    if (!(allowed as readonly number[]).includes(n)) return problem(`must be one of ${allowed.join(', ')}`);
    return n as T;
  };

/** testFlag: absent means production data. */
export const testFlag = (value: unknown): 0 | 1 => (isAbsent(value) ? 0 : code([0, 1] as const)(value));

const GMT8_OFFSET_MS = 8 * 3600 * 1000;
// yyyy MM dd HH mm ss SSS with plausible ranges; the year is left free.
const SYNC_TIME = /^\d{4}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([01]\d|2[0-3])[0-5]\d[0-5]\d\d{3}$/;

/**
 * timeStamp / currentSyncTime: GMT+8 `yyyyMMddHHmmssSSS` as KooGallery documents it, or a
 * 13-digit Unix-ms number or string converted to that form, so versions always compare as strings.
 * A 17-digit number is refused: JSON numbers that long have lost digits before we see them.
 */
export const syncTime = (value: unknown): string | null => {
  if (isAbsent(value) || value === '') return null;
  const ms =
    typeof value === 'number' && Number.isInteger(value) && value >= 1e12 && value < 1e13
      ? value
      : typeof value === 'string' && /^\d{13}$/.test(value)
        ? Number(value)
        : null;
  if (ms !== null) return new Date(ms + GMT8_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 17);
  if (typeof value === 'string' && SYNC_TIME.test(value)) return value;
  return problem('must be a GMT+8 time yyyyMMddHHmmssSSS (17 digits) or Unix milliseconds (13 digits)');
};

/** A list sent as a JSON array or, by older revisions, as a string holding one (spec §5.3, §5.5). */
export const jsonArray = (value: unknown): unknown[] => {
  if (isAbsent(value)) return problem('required');
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') {
    const parsed = parseJsonOrUndefined(value);
    if (Array.isArray(parsed)) return parsed;
  }
  return problem('must be a JSON array (or a string holding one)');
};

/**
 * As jsonArray, and the string may also be the documentation's relaxed, non-JSON form with unquoted
 * keys (allOrgSync's `orgInfoList`, spec §5.5): strict JSON first, JSON5 as the fallback, never eval.
 */
export const relaxedJsonArray = (value: unknown): unknown[] => {
  if (typeof value !== 'string') return jsonArray(value);
  const parsed = parseJsonOrJson5(value);
  if (!Array.isArray(parsed)) return problem('must be a JSON array (or a string holding one)');
  if (nestsDeeperThan(parsed, MAX_NESTING)) return problem(`must not nest deeper than ${MAX_NESTING} levels`);
  return parsed;
};

/** An object sent as a JSON object or as a string holding one; absent or empty means {}. */
export const jsonObject = (value: unknown): Record<string, unknown> => {
  if (isAbsent(value) || value === '') return {};
  const parsed = typeof value === 'string' ? parseJsonOrUndefined(value) : value;
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  return problem('must be a JSON object (or a string holding one)');
};

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A zod superRefine that refuses two entries of a list with the same key: the outcome would depend
 * on the order they are applied. The message points at the first occurrence instead of quoting the
 * value (a userName is personal data, kept out of error messages and logs).
 */
export function uniqueBy<T, K extends keyof T & string>(list: string, key: K) {
  return (items: T[], ctx: { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void }): void => {
    const seen = new Map<unknown, number>();
    items.forEach((item, i) => {
      const first = seen.get(item[key]);
      if (first === undefined) seen.set(item[key], i);
      else ctx.addIssue({ code: 'custom', path: [i, key], message: `duplicates ${list}[${first}].${key}` });
    });
  };
}
