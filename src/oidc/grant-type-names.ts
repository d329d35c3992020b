/**
 * The grant type a registered native app uses to exchange the `code` + `tenant` its WebView caught
 * from KooGallery's unified login page for the bridge's own tokens (koogallery-code-grant.ts).
 * A URN of our own, as RFC 6749 §4.5 asks of extension grants.
 */
export const KOOGALLERY_CODE_GRANT = 'urn:koobridge:params:oauth:grant-type:koogallery-code';
