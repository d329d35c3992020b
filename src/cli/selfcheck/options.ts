/**
 * The self-check's settings from its flags, falling back to the variables the bridge itself reads
 * (so on the bridge's host it needs only `--url`). Every problem is reported at once, one line each;
 * no message ever quotes a key.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readPrivateKey } from '../../config/files.js';
import { MIN_RSA_BITS } from '../../koogallery/rsa-keys.js';

export interface SelfcheckOptions {
  productionUrl: string;
  accessKey: string;
  basicAccessKey: string;
  /** The public key uploaded to KooGallery: clientSecrets are encrypted with it. */
  publicKey: KeyObject;
  appId: string;
  timeoutMs: number;
  json: boolean;
  adminToken: string | null;
}

// KooGallery gives up on a call after 5 s (spec §7).
export const DEFAULT_TIMEOUT = '5s';
const MAX_TIMEOUT_MS = 60_000;

export const SELFCHECK_FLAGS = {
  url: { type: 'string' },
  'access-key': { type: 'string' },
  'basic-access-key': { type: 'string' },
  'public-key': { type: 'string' },
  'app-id': { type: 'string' },
  timeout: { type: 'string' },
  'admin-token': { type: 'string' },
  json: { type: 'boolean' },
} as const;

type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

export function readSelfcheckOptions(args: string[], env: Env, readFile: ReadFile = (p) => readFileSync(p, 'utf8')): SelfcheckOptions {
  const { values } = parseArgs({ args, options: SELFCHECK_FLAGS, strict: true, allowPositionals: false });
  const problems: string[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };

  const productionUrl = attempt(() => readUrl(values.url));
  const accessKey = values['access-key'] || env.KOO_ACCESS_KEY?.trim() || '';
  if (accessKey === '') problems.push('no access key: pass --access-key or set KOO_ACCESS_KEY (卖家中心 › 应用工具 › 密钥管理)');
  const basicAccessKey = values['basic-access-key'] || env.KOO_BASIC_ACCESS_KEY?.trim() || accessKey;
  const publicKey = attempt(() => readPublicKey(values['public-key'], env, readFile));
  const appId = values['app-id']?.trim() || env.KOO_APP_ID?.split(',')[0]?.trim() || '';
  if (appId === '') problems.push('no appId: pass --app-id or set KOO_APP_ID (the bridge refuses syncs for an appId it does not serve)');
  const timeoutMs = attempt(() => readTimeout(values.timeout ?? DEFAULT_TIMEOUT));

  if (problems.length > 0 || productionUrl === undefined || publicKey === undefined || timeoutMs === undefined) {
    throw new Error(`selfcheck cannot start:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return { productionUrl, accessKey, basicAccessKey, publicKey, appId, timeoutMs, json: values.json ?? false, adminToken: values['admin-token'] || null };
}

function readUrl(text: string | undefined): string {
  if (!text) throw new Error('--url is required: the production address registered with KooGallery, e.g. https://bridge.example.com/produce');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('--url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('--url must be an absolute http(s) URL');
  if (url.username !== '' || url.password !== '') throw new Error('--url must not carry credentials');
  if (url.hash !== '') throw new Error('--url must not carry a fragment');
  return text;
}

/** --public-key FILE (a public or a private key PEM), else the public half of KOO_PRIVATE_KEY_FILE / KOO_PRIVATE_KEY. */
function readPublicKey(file: string | undefined, env: Env, readFile: ReadFile): KeyObject {
  if (file) {
    let pem: string;
    try {
      pem = readFile(file);
    } catch (err) {
      throw new Error(`--public-key: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new Error(`--public-key: ${file} holds no readable PEM key`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`--public-key: ${file} holds a ${key.asymmetricKeyType ?? 'unknown'} key; an RSA key is required`);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new Error(`--public-key: the key has ${bits} bits; KooGallery requires at least ${MIN_RSA_BITS}`);
    return key;
  }
  if (env.KOO_PRIVATE_KEY && env.KOO_PRIVATE_KEY_FILE) throw new Error('KOO_PRIVATE_KEY: set either KOO_PRIVATE_KEY or KOO_PRIVATE_KEY_FILE, not both');
  const { key, problems } = readPrivateKey({ KOO_PRIVATE_KEY: env.KOO_PRIVATE_KEY, KOO_PRIVATE_KEY_FILE: env.KOO_PRIVATE_KEY_FILE }, readFile);
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.variable}: ${p.problem}`).join('; '));
  if (key === undefined) {
    throw new Error('no public key: pass --public-key FILE (the key uploaded to KooGallery) or set KOO_PRIVATE_KEY_FILE (its private half)');
  }
  return createPublicKey(key);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000 };

/** `5s`, `2.5s`, `800ms`, or a bare number of seconds. */
export function readTimeout(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/i.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * UNIT_MS[(m[2] ?? 's').toLowerCase()]!) : NaN;
  if (!(ms > 0 && ms <= MAX_TIMEOUT_MS)) throw new Error(`--timeout must be a duration up to ${MAX_TIMEOUT_MS / 1000}s, such as 5s or 800ms`);
  return ms;
}
