/**
 * The ID-token signing keys koobridge accepts, as JWKs: EC P-256 (ES256) or OKP Ed25519 (EdDSA).
 *
 * Why only these two: both are small, fast, deterministic in size and supported by every current
 * OIDC client library; RSA keys are large and slow to generate, and symmetric keys would have to be
 * shared with every relying party. Every key is normalised to { kty, crv, x, y?, d, kid, alg,
 * use: 'sig' } so that oidc-provider scores all keys alike and signs with the first one.
 */
import { createECDH, createPrivateKey, createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export type SigningAlg = 'ES256' | 'EdDSA';
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'EdDSA'];

/** A private signing JWK in the normalised shape above. */
export type SigningJwk = JWK & { kid: string; alg: SigningAlg; use: 'sig'; d: string };

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'] as const;

/** The JWK without any private member: what is published at jwks_uri. */
export function publicJwkOf(jwk: JWK): JWK {
  const pub: Record<string, unknown> = { ...jwk };
  for (const member of PRIVATE_MEMBERS) delete pub[member];
  return pub as JWK;
}

const algOfKty = (kty: unknown, crv: unknown): SigningAlg | null =>
  kty === 'EC' && crv === 'P-256' ? 'ES256' : kty === 'OKP' && crv === 'Ed25519' ? 'EdDSA' : null;

const ONLY = 'only private EC P-256 (ES256) or OKP Ed25519 (EdDSA) keys are accepted';

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

const b64u = (value: string): Buffer => Buffer.from(value, 'base64url');
const PRIVATE_KEY_BYTES = 32; // both a P-256 scalar and an Ed25519 seed
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex'); // RFC 8410, before the seed

/** The public part that the private part d derives: x‖y for P-256, x for Ed25519. Throws when d is no key. */
function publicPartOf(alg: SigningAlg, d: string): Buffer {
  const secret = b64u(d);
  if (secret.length !== PRIVATE_KEY_BYTES) throw new Error('private part of the wrong length');
  if (alg === 'ES256') {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(secret);
    return ecdh.getPublicKey().subarray(1); // drop the 0x04 (uncompressed point) prefix
  }
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  return b64u(createPublicKey(privateKey).export({ format: 'jwk' }).x!);
}

/**
 * Checks one JWK from an operator's file and normalises it; answers the problem in a few words
 * when it is not a private ES256/EdDSA key whose private and public halves belong together.
 */
export async function checkPrivateSigningJwk(input: unknown): Promise<{ jwk: SigningJwk } | { problem: string }> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problem: 'is not a JSON object' };
  const jwk = input as Record<string, unknown>;
  if (jwk.kty === 'RSA') return { problem: `is an RSA key; ${ONLY}` };
  if (jwk.kty === 'oct') return { problem: `is a symmetric (oct) key; ${ONLY}` };
  const alg = algOfKty(jwk.kty, jwk.crv);
  if (!alg) return { problem: `has kty ${JSON.stringify(jwk.kty)} crv ${JSON.stringify(jwk.crv)}; ${ONLY}` };
  if (jwk.alg !== undefined && jwk.alg !== alg) return { problem: `has alg ${JSON.stringify(jwk.alg)}, but a ${String(jwk.kty)} ${String(jwk.crv)} key signs ${alg}` };
  if (jwk.use !== undefined && jwk.use !== 'sig') return { problem: `has use ${JSON.stringify(jwk.use)}; a signing key has use "sig" or none` };
  if (jwk.kid !== undefined && !str(jwk.kid)) return { problem: 'has a kid that is not a non-empty string' };
  if (!str(jwk.d)) return { problem: 'is a public key; a private key (with "d") is required to sign' };
  if (!str(jwk.x) || (alg === 'ES256' && !str(jwk.y))) return { problem: `lacks its public part (${alg === 'ES256' ? 'x, y' : 'x'})` };

  const parts: JWK = alg === 'ES256'
    ? { kty: 'EC', crv: 'P-256', x: jwk.x as string, y: jwk.y as string, d: jwk.d as string }
    : { kty: 'OKP', crv: 'Ed25519', x: jwk.x as string, d: jwk.d as string };
  // A key whose "d" belongs to another public key would sign tokens nobody can verify. Node 20 and
  // 22 keep the x/y they are given without checking them against d, Node 24 refuses the whole JWK
  // as invalid: derive the public part from d and compare, which answers alike on every runtime.
  let belongs: boolean;
  try {
    createPublicKey({ key: publicJwkOf(parts) as never, format: 'jwk' });
    belongs = publicPartOf(alg, parts.d!).equals(Buffer.concat([b64u(parts.x!), b64u(parts.y ?? '')]));
    if (belongs) createPrivateKey({ key: parts as never, format: 'jwk' });
  } catch {
    return { problem: 'does not decode to a valid key' };
  }
  if (!belongs) return { problem: 'has a private part "d" that does not belong to its public part' };
  const kid = str(jwk.kid) ? jwk.kid : await calculateJwkThumbprint(parts, 'sha256');
  return { jwk: { ...parts, kid, alg, use: 'sig', d: parts.d! } };
}

/** A fresh key pair, exported as a normalised private JWK whose kid is its RFC 7638 thumbprint. */
export async function generateSigningJwk(alg: SigningAlg): Promise<SigningJwk> {
  const { privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true });
  const exported = await exportJWK(privateKey);
  const parts: JWK = alg === 'ES256'
    ? { kty: 'EC', crv: 'P-256', x: exported.x!, y: exported.y!, d: exported.d! }
    : { kty: 'OKP', crv: 'Ed25519', x: exported.x!, d: exported.d! };
  const kid = await calculateJwkThumbprint(parts, 'sha256');
  return { ...parts, kid, alg, use: 'sig', d: parts.d! };
}
