/**
 * OIDC_JWKS_FILE: signing keys the operator manages (e.g. from a secret manager) instead of the
 * ring koobridge keeps in the store. A JSON object `{ "keys": [private JWKs] }`; the first key
 * signs, the others are published for verification, so the operator rotates by reordering.
 */
import { readFileSync } from 'node:fs';
import { readSettingFile } from '../shared/setting-file.js';
import { KbError } from '../shared/errors.js';
import { checkPrivateSigningJwk, type SigningJwk } from './signing-jwk.js';

const fail = (why: string): never => {
  throw new KbError('config_invalid', `OIDC_JWKS_FILE: ${why}`);
};


/** Reads and checks the file; answers the normalised private JWKs in file order. */
export async function loadJwksFile(path: string, readFile: (p: string) => string = (p) => readFileSync(p, 'utf8')): Promise<SigningJwk[]> {
  const text = readSettingFile('OIDC_JWKS_FILE', path, readFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message can quote the file, i.e. private key material: keep it out.
    return fail(`${path} is not valid JSON`);
  }
  const list = (parsed as { keys?: unknown } | null)?.keys;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Array.isArray(list)) {
    return fail(`${path} must hold a JSON object { "keys": [private JWKs] }`);
  }
  if (list.length === 0) return fail(`${path} holds no key; at least one private signing key is required`);

  const keys: SigningJwk[] = [];
  const kids = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const checked = await checkPrivateSigningJwk(entry);
    if ('problem' in checked) return fail(`key #${i + 1} ${checked.problem}`);
    if (kids.has(checked.jwk.kid)) return fail(`key #${i + 1} repeats kid ${JSON.stringify(checked.jwk.kid)}`);
    kids.add(checked.jwk.kid);
    keys.push(checked.jwk);
  }
  return keys;
}
