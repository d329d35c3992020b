/**
 * KooGallery tenant ids (and app ids) as the bridge accepts them everywhere: they become part of
 * Redis keys (inside a `{…}` Cluster hash tag), of URLs and of OpenID subjects, so braces,
 * slashes, whitespace and anything needing escaping are refused rather than trimmed away.
 */
export const IDENTIFIER_CHARS = /^[A-Za-z0-9._~:@-]+$/;
export const MAX_IDENTIFIER_LENGTH = 64;

export const isTenantId = (value: string): boolean => value.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_CHARS.test(value);

/**
 * KooGallery user names (authSync `userName`, String(255)): any printable text, as the tenant's
 * IdP spells it. They appear in store keys only after the tenant's Cluster hash tag, so braces do
 * no harm there; length, surrounding blanks and control characters are refused.
 */
export const MAX_USER_NAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export const isUserName = (value: string): boolean =>
  value.length > 0 && value.length <= MAX_USER_NAME_LENGTH && value === value.trim() && !CONTROL.test(value) && isWellFormedText(value);

// A high surrogate not followed by a low one, or a low one not preceded by a high one. (Without
// the `u` flag the pattern reads UTF-16 code units, which is what it must look at.)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * String.prototype.isWellFormed (Node ≥ 20), spelt out because the ES2023 typings lack it: true
 * unless the text holds a lone UTF-16 surrogate. JSON lets one through as an escape (`"\ud800"`);
 * such a text has no UTF-8 form, so it breaks every later step that encodes it (URI-encoding a
 * header, a store key, a log line) and, replaced by U+FFFD along the way, collides with the name
 * that really holds U+FFFD. Identifiers and names must be well formed.
 */
export const isWellFormedText = (value: string): boolean => !LONE_SURROGATE.test(value);
