/**
 * `koobridge` command line: key management for the RSA pair whose public half is uploaded to
 * KooGallery when applying for the app credential (spec §3), rotation of the OIDC signing keys
 * kept in the shared store, and the seller's self-check of a running bridge (selfcheck/).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateRsaKeyPair, loadPrivateKey, publicKeyPem } from '../koogallery/rsa-keys.js';
import { SIGNING_ALGS, type SigningAlg } from '../oidc/signing-jwk.js';
import { rotateSigningKeys, type KeyStateView } from '../oidc/signing-keys.js';
import { DEFAULT_PROPAGATION_MS } from '../oidc/key-timing.js';
import { createKeys } from '../store/keys.js';
import { createRedisStore } from '../store/redis.js';
import { redisOptionsFromUrl } from '../store/redis-url.js';
import { createSecretBox } from '../store/secret-box.js';
import { selfcheck } from './selfcheck/command.js';

export const DEFAULT_KEY_FILE = 'config/koo-private-key.pem';

const USAGE = `usage:
  koobridge serve
      runs the service in this process (as \`node dist/main.js\` does), configured by the environment:
      the production start command, since this process receives SIGTERM (graceful drain) and SIGHUP
      (OpenID clients read again)
  koobridge keys generate [--out FILE] [--bits 3072|4096] [--force]
      creates a new RSA key pair; writes the private key (PKCS#8 PEM, mode 0600) to FILE
      (default ${DEFAULT_KEY_FILE}) and prints the public key to upload to KooGallery
  koobridge keys public [--key FILE]
      prints the public key (SPKI PEM) of FILE, or of KOO_PRIVATE_KEY_FILE / KOO_PRIVATE_KEY
  koobridge keys rotate [--retire-after DURATION] [--propagation DURATION] [--alg ES256|EdDSA]
      rotates the OIDC signing keys in the store named by REDIS_URL (with SECRET_KEYS and
      REDIS_KEY_PREFIX as the services use them): the published next key starts signing (once it
      has been published for --propagation, default 15m), the old one stays published for
      --retire-after after that (default 1d), a new next key is published. Running services
      follow within seconds, without a restart
  koobridge selfcheck --url PRODUCTION_URL [--access-key K] [--basic-access-key K] [--public-key FILE]
                      [--app-id ID] [--timeout 5s] [--admin-token T] [--json]
      plays KooGallery's interface debugging against a running bridge: the five kit and the basic
      interfaces (changeInstanceCheck optional), signed as KooGallery signs, with made-up test data
      (testFlag 1); prints PASS/FAIL, result code and answer time per call; exits 0 only when all pass.
      Keys default to KOO_ACCESS_KEY, KOO_BASIC_ACCESS_KEY (else the access key), the public half of
      KOO_PRIVATE_KEY_FILE / KOO_PRIVATE_KEY, and the first of KOO_APP_ID; --admin-token purges the
      bridge's test data afterwards (DELETE /admin/api/test-data)
  koobridge help`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

export async function runCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo = stdio): Promise<number> {
  const [group, command, ...rest] = argv;
  try {
    if (group === 'keys' && command === 'generate') return keysGenerate(rest, io);
    if (group === 'keys' && command === 'public') return keysPublic(rest, env, io);
    if (group === 'keys' && command === 'rotate') return await keysRotate(rest, env, io);
    if (group === 'selfcheck') return await selfcheck(argv.slice(1), env, io);
    if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
      io.out(`${USAGE}\n`);
      return 0;
    }
    io.err(`koobridge: unknown command "${argv.join(' ')}"\n${USAGE}\n`);
    return 2;
  } catch (err) {
    io.err(`koobridge: ${(err as Error).message}\n`);
    return 1;
  }
}

function keysGenerate(args: string[], io: CliIo): number {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, bits: { type: 'string' }, force: { type: 'boolean' } } });
  const out = values.out ?? DEFAULT_KEY_FILE;
  const bits = Number(values.bits ?? 3072);
  // KooGallery requires at least 3072 bits; larger keys only slow every decryption down.
  if (bits !== 3072 && bits !== 4096) throw new Error('--bits must be 3072 or 4096');
  if (existsSync(out) && !values.force) throw new Error(`${out} already exists; pass --force to replace it (the old key stops working)`);
  const pair = generateRsaKeyPair(bits);
  writeFileSync(out, pair.privateKeyPem, { mode: 0o600 });
  io.err(`wrote the private key to ${out} (keep it secret; set KOO_PRIVATE_KEY_FILE=${out})\nupload this public key to KooGallery:\n`);
  io.out(pair.publicKeyPem);
  return 0;
}

function keysPublic(args: string[], env: NodeJS.ProcessEnv, io: CliIo): number {
  const { values } = parseArgs({ args, options: { key: { type: 'string' } } });
  const file = values.key ?? env.KOO_PRIVATE_KEY_FILE;
  let pem: string;
  if (file) pem = readFileSync(file, 'utf8');
  else if (env.KOO_PRIVATE_KEY) pem = env.KOO_PRIVATE_KEY.replace(/\\n/g, '\n');
  else throw new Error('no private key: pass --key FILE or set KOO_PRIVATE_KEY_FILE');
  io.out(publicKeyPem(loadPrivateKey(pem)));
  return 0;
}

// The longest ID / access token lifetime the configuration accepts (OIDC_*_TOKEN_TTL) is one day:
// a key retired for that long has no valid token left that it signed.
const DEFAULT_RETIRE_AFTER = '1d';
const DURATION_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Same rule as REDIS_KEY_PREFIX in config/schema.ts, so the CLI finds the keys the services wrote.
const KEY_PREFIX = /^[A-Za-z0-9:_.-]{0,32}$/;

function parseDuration(text: string, option = '--retire-after'): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/i.exec(text.trim());
  if (!m) throw new Error(`${option} must be a duration such as 90m, 24h or 2d (a bare number is seconds)`);
  return Number(m[1]) * DURATION_MS[(m[2] ?? 's').toLowerCase()]!;
}

const NOTES: Record<KeyStateView['state'], (k: KeyStateView, now: number) => string> = {
  current: (k, now) => ((k.activeFrom ?? 0) > now ? `published; signs ID tokens from ${new Date(k.activeFrom!).toISOString()} (until then the key before it signs)` : 'signs ID tokens'),
  next: () => 'published; signs after the next rotation',
  retired: (k) => `published for verification until ${new Date(k.retireAfter ?? 0).toISOString()}`,
};

/**
 * Only Redis: the in-memory store lives inside one service process, so there is nothing shared
 * to rotate. Reads just the three variables it needs, so it runs on an operator's machine without
 * the rest of a production configuration.
 */
async function keysRotate(args: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { 'retire-after': { type: 'string' }, propagation: { type: 'string' }, alg: { type: 'string' } } });
  const url = env.REDIS_URL?.trim();
  if (!url) {
    io.err('koobridge: keys rotate works on the shared store: set REDIS_URL (and SECRET_KEYS, REDIS_KEY_PREFIX) as the services have them. Without REDIS_URL each service keeps its keys in memory and makes new ones at every start.\n');
    return 1;
  }
  redisOptionsFromUrl(url);
  const secretKeys = (env.SECRET_KEYS ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (secretKeys.length === 0) throw new Error('SECRET_KEYS: required to open and seal the signing keys (the same value the services use)');
  const secretBox = createSecretBox(secretKeys);
  const prefix = env.REDIS_KEY_PREFIX ?? 'kb:';
  if (!KEY_PREFIX.test(prefix)) throw new Error('REDIS_KEY_PREFIX: letters, digits and :_.- only, at most 32 characters');
  const alg = (values.alg ?? 'ES256') as SigningAlg;
  if (!SIGNING_ALGS.includes(alg)) throw new Error(`--alg must be one of ${SIGNING_ALGS.join(', ')}`);
  const retireAfterMs = parseDuration(values['retire-after'] ?? DEFAULT_RETIRE_AFTER);
  const propagationMs = values.propagation === undefined ? DEFAULT_PROPAGATION_MS : parseDuration(values.propagation, '--propagation');

  const store = createRedisStore({ url });
  try {
    const keys = createKeys(prefix);
    const now = Date.now();
    const states = await rotateSigningKeys({ store, keys, secretBox }, { retireAfterMs, alg, propagationMs, now });
    io.out(`rotated the OIDC signing keys in ${keys.oidcSigningKeys()}:\n`);
    for (const k of states) io.out(`  ${k.state.padEnd(8)} ${k.kid}  ${k.alg}  ${NOTES[k.state](k, now)}\n`);
    io.out('Running services were told and use the new ring within seconds (at most a minute): no restart needed.\n');
    if (env.OIDC_JWKS_FILE) io.err('note: OIDC_JWKS_FILE is set here; services that use it sign with that file and ignore the keys in the store.\n');
    return 0;
  } finally {
    await store.close();
  }
}
