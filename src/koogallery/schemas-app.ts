/**
 * applicationSync (spec §5.2): the tenant's OAuth credential for our app at its IdP. The secret
 * stays encrypted here; client-secret.ts decrypts it. A delete carries no usable secret: its
 * clientSecret is dropped (null) so a stale or undecryptable value can never block a delete.
 */
import { z } from 'zod';
import { commonShape, parseWith, readFlag } from './schemas-common.js';
import { field, identifier, optionalText, requiredText } from './schemas-fields.js';
import type { ApplicationSync, Flag } from './schemas-types.js';

const FLAGS: readonly Flag[] = [0, 1, 2];

// RSA-3072 ciphertext is 512 Base64 characters; 4096 leaves room for 8192-bit keys and line
// wrapping while bounding what we hand to the decryptor. Line breaks are allowed: old Java
// Base64 encoders wrap their output.
const SECRET = { max: 4096, allowControls: true };

const base = {
  ...commonShape,
  tenantId: field(identifier),
  appId: field(identifier),
};

const UPSERT = z.object({
  ...base,
  clientId: field(requiredText({ max: 64 })),
  clientSecret: field(requiredText(SECRET)),
});

const DELETE = z.object({
  ...base,
  clientId: field(optionalText({ max: 64 })),
});

export function parseApplicationSync(body: unknown): ApplicationSync {
  const flag = readFlag(body, FLAGS);
  if (flag === 0) return { ...parseWith(DELETE, body), flag, clientSecret: null };
  return { ...parseWith(UPSERT, body), flag };
}
