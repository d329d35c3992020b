/**
 * `koobridge` command line: key management for the RSA pair whose public half is uploaded to
 * KooGallery when applying for the app credential (spec §3).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateRsaKeyPair, loadPrivateKey, publicKeyPem } from '../koogallery/rsa-keys.js';

export const DEFAULT_KEY_FILE = 'config/koo-private-key.pem';

const USAGE = `usage:
  koobridge keys generate [--out FILE] [--bits 3072|4096] [--force]
      creates a new RSA key pair; writes the private key (PKCS#8 PEM, mode 0600) to FILE
      (default ${DEFAULT_KEY_FILE}) and prints the public key to upload to KooGallery
  koobridge keys public [--key FILE]
      prints the public key (SPKI PEM) of FILE, or of KOO_PRIVATE_KEY_FILE / KOO_PRIVATE_KEY
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
