/**
 * Field readers for the basic (instance-lifecycle) bodies (spec §6), in the style of
 * schemas-fields.ts: value in, normalized value out, or a FieldProblem naming what is wrong.
 */
import type { TestFlag } from './schemas-types.js';
import { FieldProblem, identifier, jsonObject, testFlag } from './schemas-fields.js';

const problem = (message: string): never => {
  throw new FieldProblem(message);
};

const isAbsent = (value: unknown): value is null | undefined => value === undefined || value === null;

/**
 * instanceId, orderId, orderLineId, businessId, productId, skuCode: String(64) [doc], trimmed,
 * of the characters the kit schemas' tenant and app ids allow (`A-Z a-z 0-9 . _ ~ : @ -`), since
 * they end up in store keys. KooGallery's own ids (`CS2211181819B4LVS-000001`, UUIDs) fit.
 */
export const basicId = (value: unknown): string => identifier(typeof value === 'string' ? value.trim() : value);

/** An optional id: absent, null or blank is "not given" (null); anything else is a basicId. */
export const optionalBasicId = (value: unknown): string | null =>
  isAbsent(value) || (typeof value === 'string' && value.trim() === '') ? null : basicId(value);

/**
 * testFlag on a basic body: the STRING "0"/"1" [doc] (blanks around it ignored), a JSON integer
 * 0/1 as on the kit bodies, and absent or empty for production (the documented default 0).
 */
export const basicTestFlag = (value: unknown): TestFlag => {
  if (typeof value !== 'string') return testFlag(value);
  const text = value.trim();
  return text === '' ? 0 : testFlag(text);
};

/** How many ids one queryInstance may name [doc]. */
export const MAX_QUERY_IDS = 100;

/**
 * queryInstance's `instanceId`: ids separated by commas [doc], each trimmed and a basicId; empty
 * entries (`a,,b`, a trailing comma) are skipped, duplicates dropped, the order kept.
 */
export const instanceIdList = (value: unknown): string[] => {
  if (isAbsent(value)) return problem('required');
  if (typeof value !== 'string') return problem('must be a string of ids separated by commas');
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) return problem('must name at least 1 instance');
  if (entries.length > MAX_QUERY_IDS) return problem(`must name at most ${MAX_QUERY_IDS} instances (KooGallery's per-call cap)`);
  entries.forEach((entry, i) => {
    try {
      basicId(entry);
    } catch (err) {
      // The position, not the value: a malformed id is not worth echoing into a log.
      if (err instanceof FieldProblem) problem(`id ${i + 1}: ${err.message}`);
      throw err;
    }
  });
  return [...new Set(entries)];
};

/** One of a closed set of upper-case words, in any case and with blanks around it. */
export const upperWord =
  <T extends string>(allowed: readonly T[]) =>
  (value: unknown): T => {
    if (isAbsent(value) || value === '') return problem('required');
    const word = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
    if ((allowed as readonly (string | undefined)[]).includes(word)) return word as T;
    return problem(`must be one of ${allowed.join(', ')}`);
  };

/** An instant read from KooGallery: ISO 8601 (UTC) and Unix milliseconds. */
export interface UtcTime {
  iso: string;
  ms: number;
}

// yyyy MM dd HH mm ss and, in the form the examples show, SSS.
const UTC_DIGITS = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{3})?$/;
const UTC_FORMAT = 'must be a UTC time yyyyMMddHHmmss (14 digits) or yyyyMMddHHmmssSSS (17 digits)';

/**
 * refreshInstance's `expireTime`: UTC, documented as `yyyyMMddHHmmss` but shown with 17 digits
 * (`20221124023618256`) [doc]; both are accepted. A 14-digit JSON number is read too; a 17-digit
 * one is not, as it may have lost digits before we see it. A date that does not exist (Feb 30,
 * hour 24) is refused rather than rolled over.
 */
export const utcTime = (value: unknown): UtcTime => {
  if (isAbsent(value) || value === '') return problem('required');
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : '';
  const m = UTC_DIGITS.exec(text);
  if (m === null) return problem(UTC_FORMAT);
  const [year, month, day, hour, minute, second, milli] = m.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number];
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not move years 0–99 into the 1900s.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, milli);
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  if (!exact) return problem(`${UTC_FORMAT}, naming a real date and time`);
  return { iso: date.toISOString(), ms: date.getTime() };
};

/** An object sent as a JSON object or a string holding one; absent, null or '' → null. */
export const optionalJsonObject = (value: unknown): Record<string, unknown> | null =>
  isAbsent(value) || value === '' ? null : jsonObject(value);
