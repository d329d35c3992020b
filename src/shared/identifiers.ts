/**
 * KooGallery tenant ids (and app ids) as the bridge accepts them everywhere: they become part of
 * Redis keys (inside a `{…}` Cluster hash tag), of URLs and of OpenID subjects, so braces,
 * slashes, whitespace and anything needing escaping are refused rather than trimmed away.
 */
export const IDENTIFIER_CHARS = /^[A-Za-z0-9._~:@-]+$/;
export const MAX_IDENTIFIER_LENGTH = 64;

export const isTenantId = (value: string): boolean => value.length <= MAX_IDENTIFIER_LENGTH && IDENTIFIER_CHARS.test(value);
