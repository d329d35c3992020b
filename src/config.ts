/**
 * Configuration: environment variables, optionally backed by a JSON file, validated once at start.
 *
 * Every other module receives what it needs as arguments; nothing else reads process.env.
 * A bad or missing required value stops start-up with one line naming the variable. Outside
 * production, missing secrets are replaced by throw-away values and a warning, so `npm start`
 * works on a fresh clone; in production they are required.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { generateRsaKeyPair, loadPrivateKey } from './koogallery/rsa-keys.js';
import { KbError } from './shared/errors.js';
import { redisOptionsFromUrl } from './store/redis-url.js';
import { createSecretBox } from './store/secret-box.js';

export interface Config {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  /** Origin (and optional path) the bridge is reached at, without a trailing slash. */
  publicUrl: string;
  redisUrl: string | null;
  redisKeyPrefix: string;
  producePath: string;
  produceBodyLimit: number;
  trustProxy: boolean;
  logLevel: string;
  koo: {
    appId: string | null;
    accessKey: string;
    basicAccessKey: string;
    privateKey: KeyObject;
    allowInsecureIdp: boolean;
  };
  /** Base64 keys for encryption at rest; the first encrypts, all decrypt. */
  secretKeys: string[];
  /** Null disables the admin API (only possible outside production). */
  adminToken: string | null;
  login: {
    /** KooGallery's unified login page; `?ind=UNOP&appId=` is appended (spec §7). */
    unifiedLoginUrl: string;
    /** Exact URLs a login may return to (`return_to`). */
    allowedReturnUrls: string[];
    /** Where a login without (an allowed) return_to lands, and every IdP-initiated one. */
    landingUrl: string;
    /** Accept callbacks of logins we did not start (the aPaaS workbench tile). */
    idpInitiated: boolean;
  };
  session: {
    idleTimeoutMs: number;
    absoluteTimeoutMs: number;
  };
  /** Deadline of every outbound call to a tenant IdP. */
  idpTimeoutMs: number;
  oidc: {
    clientsFile: string;
    /** False when OIDC_CLIENTS_FILE was left at its default: a missing default file means no clients. */
    clientsFileRequired: boolean;
    jwksFile: string | null;
    accessTokenTtlS: number;
    idTokenTtlS: number;
    refreshTokenTtlS: number;
    refreshGraceS: number;
    sessionTtlS: number;
  };
  /** What was generated or defaulted unsafely; logged as warnings at start. Never holds secrets. */
  warnings: string[];
}

export class ConfigError extends KbError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/** OpenID clients of the merchant's apps (a JSON array); absent default file = no clients. */
export const DEFAULT_CLIENTS_FILE = 'config/clients.json';

/** The default file, read when present; CONFIG_FILE names another one. */
export const DEFAULT_CONFIG_FILE = 'config/koobridge.json';

/** The fixed, global unified login page (spec §1); its query lives in the hash fragment. */
export const DEFAULT_UNIFIED_LOGIN_URL = 'https://macroverse.huaweicloud.com/unified-login/#/portal-login';
const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024; // 500 users × ~1 KB, or tens of thousands of departments, fit easily
const MIN_ADMIN_TOKEN_LENGTH = 24; // ~144 bits when random Base64; shorter tokens are guessable

const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const byteSize = z
  .string()
  .regex(/^\d+\s*(b|kb|mb)?$/i, 'must be a number of bytes, optionally with kb or mb')
  .transform((v) => {
    const m = /^(\d+)\s*(b|kb|mb)?$/i.exec(v)!;
    const unit = (m[2] ?? 'b').toLowerCase();
    return Number(m[1]) * (unit === 'mb' ? 1024 * 1024 : unit === 'kb' ? 1024 : 1);
  })
  .pipe(z.number().int().min(1024, 'must be at least 1kb').max(64 * 1024 * 1024, 'must be at most 64mb'));

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** A duration: a number of seconds, or a number with ms, s, m, h or d. */
const duration = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+\s*(ms|s|m|h|d)?$/i, 'must be a duration such as 90s, 30m, 12h (a bare number is seconds)')
    .transform((v) => {
      const m = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(v)!;
      return Number(m[1]) * DURATION_UNITS_MS[(m[2] ?? 's').toLowerCase()]!;
    })
    .pipe(z.number().min(min, `must be at least ${min / 1000} s`).max(max, `must be at most ${max / 86_400_000} days`));

const optionalString = z
  .string()
  .transform((v) => v.trim())
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Raw variables, as strings, exactly as named in the README's configuration table. */
const rawSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' })
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  REDIS_URL: optionalString,
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_.-]{0,32}$/, 'letters, digits and :_.- only, at most 32 characters')
    .default('kb:'),
  PRODUCE_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9/_.-]*$/, 'must be an absolute path such as /produce')
    .default('/produce')
    .transform((v) => (v.length > 1 ? v.replace(/\/+$/, '') : v)),
  PRODUCE_BODY_LIMIT: byteSize.default(DEFAULT_BODY_LIMIT),
  TRUST_PROXY: flag.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KOO_APP_ID: optionalString,
  KOO_ACCESS_KEY: optionalString,
  KOO_BASIC_ACCESS_KEY: optionalString,
  KOO_PRIVATE_KEY: optionalString,
  KOO_PRIVATE_KEY_FILE: optionalString,
  KOO_ALLOW_INSECURE_IDP: flag.default(false),
  SECRET_KEYS: optionalString,
  ADMIN_TOKEN: optionalString,
  KOO_LOGIN_URL: z.url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL' }).default(DEFAULT_UNIFIED_LOGIN_URL),
  ALLOWED_RETURN_URLS: z.string().default(''),
  LOGIN_LANDING_URL: optionalString,
  KOO_IDP_INITIATED: flag.default(true),
  SESSION_IDLE_TIMEOUT: duration(1_000, 30 * 86_400_000).default(60 * 60_000),
  SESSION_ABSOLUTE_TIMEOUT: duration(1_000, 30 * 86_400_000).default(12 * 3_600_000),
  IDP_TIMEOUT: duration(100, 60_000).default(5_000),
  OIDC_CLIENTS_FILE: optionalString,
  OIDC_JWKS_FILE: optionalString,
  OIDC_ACCESS_TOKEN_TTL: duration(60_000, 86_400_000).default(3_600_000),
  OIDC_ID_TOKEN_TTL: duration(60_000, 86_400_000).default(3_600_000),
  OIDC_REFRESH_TOKEN_TTL: duration(3_600_000, 90 * 86_400_000).default(14 * 86_400_000),
  OIDC_REFRESH_GRACE: duration(0, 300_000).default(10_000),
  OIDC_SESSION_TTL: duration(60_000, 90 * 86_400_000).default(12 * 3_600_000),
});

export const CONFIG_VARIABLES = Object.keys(rawSchema.shape);

type Env = Record<string, string | undefined>;

/** Validators of other rooms already name the variable in their message; keep it, as a ConfigError. */
function rethrowAsConfigError(check: () => unknown): void {
  try {
    check();
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}

/** Reads the optional JSON file: an object whose keys are the variable names above. */
function readConfigFile(env: Env, readFile: (path: string) => string, exists: (path: string) => boolean): Env {
  const path = env.CONFIG_FILE ?? DEFAULT_CONFIG_FILE;
  if (!exists(path)) {
    if (env.CONFIG_FILE) throw new ConfigError(`CONFIG_FILE: ${path} does not exist`);
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (err) {
    throw new ConfigError(`CONFIG_FILE: ${path} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`CONFIG_FILE: ${path} must hold a JSON object of variable names`);
  }
  const out: Env = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!CONFIG_VARIABLES.includes(key)) throw new ConfigError(`CONFIG_FILE: ${path} has unknown setting ${key}`);
    if (value !== null && value !== undefined) out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export interface LoadConfigOptions {
  readFile?: (path: string) => string;
  exists?: (path: string) => boolean;
}

export function loadConfig(processEnv: Env, options: LoadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const exists = options.exists ?? existsSync;
  // The environment wins over the file, so one deployment file can be overridden per host.
  const merged: Env = { ...readConfigFile(processEnv, readFile, exists) };
  for (const key of CONFIG_VARIABLES) if (processEnv[key] !== undefined) merged[key] = processEnv[key];

  const result = rawSchema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(`${String(issue.path[0] ?? 'configuration')}: ${issue.message}`);
  }
  const raw = result.data;
  const production = raw.NODE_ENV === 'production';
  const warnings: string[] = [];
  const required = (name: string): never => {
    throw new ConfigError(`${name}: required when NODE_ENV=production`);
  };

  if (raw.REDIS_URL) {
    rethrowAsConfigError(() => redisOptionsFromUrl(raw.REDIS_URL!));
  } else {
    if (production) required('REDIS_URL');
    warnings.push('REDIS_URL is not set: using the embedded in-memory store. Data is lost on restart and not shared between instances; set REDIS_URL for anything but a trial.');
  }
  if (raw.KOO_ALLOW_INSECURE_IDP) {
    warnings.push('KOO_ALLOW_INSECURE_IDP=1: http and loopback/private tenant IdP addresses are accepted. Never use this in production.');
  }

  let accessKey = raw.KOO_ACCESS_KEY;
  if (!accessKey) {
    if (production) required('KOO_ACCESS_KEY');
    accessKey = randomBytes(24).toString('base64url');
    warnings.push('KOO_ACCESS_KEY is not set: generated a throw-away key, so no real KooGallery call will verify. Set it from 卖家中心 › 应用工具 › 密钥管理.');
  }

  if (!raw.KOO_APP_ID) {
    if (production) required('KOO_APP_ID');
    warnings.push('KOO_APP_ID is not set: sync calls for any appId are accepted. Set it to your app credential appId.');
  }

  if (raw.KOO_PRIVATE_KEY && raw.KOO_PRIVATE_KEY_FILE) {
    throw new ConfigError('KOO_PRIVATE_KEY: set either KOO_PRIVATE_KEY or KOO_PRIVATE_KEY_FILE, not both');
  }
  let privateKey: KeyObject;
  if (raw.KOO_PRIVATE_KEY || raw.KOO_PRIVATE_KEY_FILE) {
    const name = raw.KOO_PRIVATE_KEY ? 'KOO_PRIVATE_KEY' : 'KOO_PRIVATE_KEY_FILE';
    let pem: string;
    if (raw.KOO_PRIVATE_KEY) {
      // Env files often carry PEMs on one line with literal \n.
      pem = raw.KOO_PRIVATE_KEY.replace(/\\n/g, '\n');
    } else {
      try {
        pem = readFile(raw.KOO_PRIVATE_KEY_FILE!);
      } catch (err) {
        throw new ConfigError(`KOO_PRIVATE_KEY_FILE: cannot read ${raw.KOO_PRIVATE_KEY_FILE} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
    try {
      privateKey = loadPrivateKey(pem);
    } catch (err) {
      throw new ConfigError(`${name}: ${(err as Error).message}`);
    }
  } else {
    if (production) required('KOO_PRIVATE_KEY_FILE');
    privateKey = loadPrivateKey(generateRsaKeyPair(3072).privateKeyPem);
    warnings.push('KOO_PRIVATE_KEY_FILE is not set: generated a throw-away RSA key; clientSecrets encrypted for your real key will not decrypt. Create one with `npx koobridge keys generate`.');
  }

  let secretKeys: string[];
  if (raw.SECRET_KEYS) {
    secretKeys = raw.SECRET_KEYS.split(',').map((k) => k.trim()).filter((k) => k !== '');
    rethrowAsConfigError(() => createSecretBox(secretKeys));
  } else {
    if (production) required('SECRET_KEYS');
    secretKeys = [randomBytes(32).toString('base64')];
    warnings.push('SECRET_KEYS is not set: generated a throw-away key; secrets stored now cannot be read after a restart.');
  }

  let adminToken: string | null = raw.ADMIN_TOKEN ?? null;
  if (adminToken !== null && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(`ADMIN_TOKEN: must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (make one with: openssl rand -base64 32)`);
  }
  if (adminToken === null) {
    if (production) required('ADMIN_TOKEN');
    warnings.push('ADMIN_TOKEN is not set: the admin API is disabled.');
    adminToken = null;
  }

  const allowedReturnUrls = raw.ALLOWED_RETURN_URLS.split(',').map((u) => u.trim()).filter((u) => u !== '');
  for (const url of allowedReturnUrls) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      throw new ConfigError(`ALLOWED_RETURN_URLS: ${JSON.stringify(url.slice(0, 80))} is not an absolute http(s) URL`);
    }
  }
  // Without PUBLIC_URL the bridge is where `npm start` puts it: this machine, on PORT.
  const publicUrl = raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`;
  if (production && !publicUrl.startsWith('https:')) warnings.push('PUBLIC_URL is not https: cookies are not Secure and KooGallery requires HTTPS for the production address.');
  const landingUrl = raw.LOGIN_LANDING_URL ?? `${publicUrl}/sso/me`;
  if (!URL.canParse(landingUrl)) throw new ConfigError('LOGIN_LANDING_URL: must be an absolute URL');
  if (raw.SESSION_IDLE_TIMEOUT > raw.SESSION_ABSOLUTE_TIMEOUT) {
    throw new ConfigError('SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT');
  }

  return {
    env: raw.NODE_ENV,
    port: raw.PORT,
    host: raw.HOST,
    publicUrl,
    redisUrl: raw.REDIS_URL ?? null,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX,
    producePath: raw.PRODUCE_PATH,
    produceBodyLimit: raw.PRODUCE_BODY_LIMIT,
    trustProxy: raw.TRUST_PROXY,
    logLevel: raw.LOG_LEVEL,
    koo: {
      appId: raw.KOO_APP_ID ?? null,
      accessKey,
      basicAccessKey: raw.KOO_BASIC_ACCESS_KEY ?? accessKey,
      privateKey,
      allowInsecureIdp: raw.KOO_ALLOW_INSECURE_IDP,
    },
    secretKeys,
    adminToken,
    login: {
      unifiedLoginUrl: raw.KOO_LOGIN_URL,
      allowedReturnUrls,
      landingUrl,
      idpInitiated: raw.KOO_IDP_INITIATED,
    },
    session: { idleTimeoutMs: raw.SESSION_IDLE_TIMEOUT, absoluteTimeoutMs: raw.SESSION_ABSOLUTE_TIMEOUT },
    idpTimeoutMs: raw.IDP_TIMEOUT,
    oidc: {
      clientsFile: raw.OIDC_CLIENTS_FILE ?? DEFAULT_CLIENTS_FILE,
      clientsFileRequired: raw.OIDC_CLIENTS_FILE !== undefined,
      jwksFile: raw.OIDC_JWKS_FILE ?? null,
      accessTokenTtlS: Math.floor(raw.OIDC_ACCESS_TOKEN_TTL / 1000),
      idTokenTtlS: Math.floor(raw.OIDC_ID_TOKEN_TTL / 1000),
      refreshTokenTtlS: Math.floor(raw.OIDC_REFRESH_TOKEN_TTL / 1000),
      refreshGraceS: Math.floor(raw.OIDC_REFRESH_GRACE / 1000),
      sessionTtlS: Math.floor(raw.OIDC_SESSION_TTL / 1000),
    },
    warnings,
  };
}
