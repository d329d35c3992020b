/**
 * JSON written in ASCII only. KooGallery's queryInstance answer wants `appInfo.memo` (String 1024)
 * with non-ASCII "written as \uXXXX" [doc, spec §6]; writing the whole answer that way satisfies
 * the rule wherever the text sits, and any JSON reader still reads the same value.
 */

// Every UTF-16 code unit above U+007F. Without the `u` flag the regex walks code units, so an
// emoji's surrogate pair comes out as two escapes (`\ud83d\ude00`), which is what JSON means.
const NON_ASCII = /[\u0080-\uffff]/g;

const escape = (unit: string): string => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * JSON.stringify's output with every non-ASCII UTF-16 unit escaped as `\uXXXX` (lower-case hex,
 * like JSON.stringify's own escapes of lone surrogates). Non-ASCII characters can only stand
 * inside JSON strings, so the escapes never change the value. Throws a TypeError for a value
 * without a JSON form (undefined, a function, a symbol).
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError('asciiJson: the value has no JSON form');
  return json.replace(NON_ASCII, escape);
}

/** appInfo.memo's documented maximum length (spec §6). */
export const MAX_MEMO_LENGTH = 1024;

/**
 * True when `memo` fits String(1024) as written on the wire: its escaped form is counted (a
 * non-ASCII unit takes six characters, a quote or a line break two), which also keeps it within
 * the limit if KooGallery counts the decoded text.
 */
export const memoFits = (memo: string): boolean => asciiJson(memo).length - 2 <= MAX_MEMO_LENGTH;
