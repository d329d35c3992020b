/**
 * The times that make publish-before-sign hold across instances (README › Operations › Signing-key
 * rotation). A key may sign only once every instance publishes it and relying parties that cache
 * the JWKS had the chance to fetch it again:
 *
 *   RING_REREAD_MS        every instance re-reads the ring at least this often, even when the
 *                         rotation's pub/sub message was lost (it usually arrives in milliseconds)
 *   RP_JWKS_CACHE_MS      how long relying parties commonly keep a fetched JWKS: jose's
 *                         createRemoteJWKSet (openid-client's) keeps it 10 minutes and refetches at
 *                         once on an unknown `kid`; most libraries use 5 to 10 minutes
 *   DEFAULT_PROPAGATION_MS the least time a `next` key is published before it may sign:
 *                         RING_REREAD_MS + RP_JWKS_CACHE_MS, rounded up to 15 minutes for clock
 *                         skew between the machine running `keys rotate` and the instances
 */
export const RING_REREAD_MS = 60_000;
export const RP_JWKS_CACHE_MS = 10 * 60_000;
export const DEFAULT_PROPAGATION_MS = 15 * 60_000;
