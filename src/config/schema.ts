/**
 * The configuration variables, exactly as named in the README's configuration table: how each one
 * is written and its default, then the rules that span several of them, production's requirements
 * among them. Pure: files are read, and throw-away secrets made, elsewhere.
 */
import { z } from 'zod';
import { redisOptionsFromUrl } from '../store/redis-url.js';
import { createSecretBox } from '../store/secret-box.js';
import { isTenantId } from '../shared/identifiers.js';
import { parseReturnPrefix, type ReturnPrefix } from '../shared/return-prefix.js';
import { byteSize, commaList, duration, flag, httpUrl, optionalString, rateLimit } from './fields.js';

/** OpenID clients of the merchant's apps (a JSON array); absent default file = no clients. */
export const DEFAULT_CLIENTS_FILE = 'config/clients.json';
/** The merchant's CAS services (a JSON array); absent default file = no services. */
export const DEFAULT_CAS_SERVICES_FILE = 'config/cas-services.json';

/** The fixed, global unified login page (spec §1); its query lives in the hash fragment. */
export const DEFAULT_UNIFIED_LOGIN_URL = 'https://macroverse.huaweicloud.com/unified-login/#/portal-login';
/** KooGallery's order query (spec §9): the main host, then its fallback. */
export const DEFAULT_ORDER_HOSTS = ['https://mkt.myhuaweicloud.com', 'https://mkt.myhuaweicloud.cn'];
const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024; // 500 users × ~1 KB, or tens of thousands of departments, fit easily
const MIN_ADMIN_TOKEN_LENGTH = 24; // ~144 bits when random Base64; shorter tokens are guessable
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A value judged by another room's own parser (the Redis URL, the encryption keys). Their messages
 * already start with the variable's name; the issue keeps only the problem, the name is its path.
 */
const judgedBy =
  <T>(variable: string, judge: (value: T) => unknown) =>
  (value: T | undefined, ctx: z.RefinementCtx) => {
    if (value === undefined) return;
    try {
      judge(value);
    } catch (err) {
      const message = (err as Error).message;
      const named = `${variable}: `;
      ctx.addIssue({ code: 'custom', message: message.startsWith(named) ? message.slice(named.length) : message });
    }
  };

/** Each variable on its own, as strings in, typed values out. */
const variables = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: httpUrl()
    .transform((v) => v.replace(/\/+$/, ''))
    .optional(),
  // Shared by the apps on sibling host names (`example.com` for app.example.com and bridge.example.com).
  COOKIE_DOMAIN: optionalString
    .transform((v) => v?.replace(/^\./, '').toLowerCase())
    .refine((v) => v === undefined || /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(v), 'must be a DNS domain with at least two labels, such as example.com'),
  REDIS_URL: optionalString.superRefine(judgedBy('REDIS_URL', redisOptionsFromUrl)),
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
  // On SIGTERM /readyz answers 503 this long before the listener closes (main.ts, README › Operations).
  SHUTDOWN_DRAIN: duration(0, 300_000).default(5_000),
  SHUTDOWN_GRACE: duration(0, 300_000).default(10_000),
  // The first appId is the app this bridge serves (logins use its credentials); more appIds (a
  // second, test credential during interface debugging) are accepted by the syncs and kept apart.
  KOO_APP_ID: optionalString
    .transform((v) => (v === undefined ? undefined : commaList(v)))
    .refine((ids) => ids === undefined || (ids.length > 0 && ids.every(isTenantId)), 'must be one or more appIds separated by commas (letters, digits, ._~:@-)'),
  KOO_ACCESS_KEY: optionalString,
  KOO_BASIC_ACCESS_KEY: optionalString,
  KOO_PRIVATE_KEY_FILE: optionalString,
  KOO_PRIVATE_KEY: optionalString,
  KOO_ALLOW_INSECURE_IDP: flag.default(false),
  KOO_FRONTEND_URL: httpUrl().optional(),
  KOO_ADMIN_URL: httpUrl().optional(),
  KOO_INSTANCE_MEMO: optionalString.refine((v) => v === undefined || v.length <= 1024, 'must be at most 1024 characters'),
  KOO_ALLOW_SPEC_CHANGE: flag.default(true),
  KOO_ORDER_AK: optionalString,
  KOO_ORDER_SK: optionalString,
  KOO_ORDER_HOSTS: z
    .string()
    .default(DEFAULT_ORDER_HOSTS.join(','))
    .transform(commaList)
    .refine((urls) => urls.length >= 1 && urls.length <= 2 && urls.every((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)), 'must be the main host and at most one fallback: absolute http(s) URLs separated by a comma'),
  // The first key encrypts, all decrypt; an empty list (`SECRET_KEYS=,`) is refused, not unset.
  SECRET_KEYS: optionalString
    .transform((v) => (v === undefined ? undefined : commaList(v)))
    .superRefine(judgedBy('SECRET_KEYS', createSecretBox)),
  ADMIN_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= MIN_ADMIN_TOKEN_LENGTH,
    `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (make one with: openssl rand -base64 32)`,
  ),
  KOO_LOGIN_URL: httpUrl().default(DEFAULT_UNIFIED_LOGIN_URL),
  ALLOWED_RETURN_URLS: z
    .string()
    .default('')
    .transform(commaList)
    .superRefine((urls, ctx) => {
      for (const url of urls) {
        if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
          ctx.addIssue({ code: 'custom', message: `${JSON.stringify(url.slice(0, 80))} is not an absolute http(s) URL` });
        }
      }
    }),
  ALLOWED_RETURN_PREFIXES: z
    .string()
    .default('')
    .transform(commaList)
    .transform((entries, ctx): ReturnPrefix[] =>
      entries.flatMap((entry) => {
        const prefix = parseReturnPrefix(entry);
        if (typeof prefix === 'string') ctx.addIssue({ code: 'custom', message: `${JSON.stringify(entry.slice(0, 80))} ${prefix}` });
        return typeof prefix === 'string' ? [] : [prefix];
      }),
    ),
  LOGIN_LANDING_URL: optionalString.refine((v) => v === undefined || URL.canParse(v), 'must be an absolute URL'),
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
  // Rate limits: hits per window, 0 for none. Why these defaults: README, "Rate limits".
  RATE_LIMIT_LOGIN_IP: rateLimit.prefault('10000/1m'),
  RATE_LIMIT_LOGIN_TENANT: rateLimit.prefault('30000/1m'),
  RATE_LIMIT_OIDC_AUTH_IP: rateLimit.prefault('20000/1m'),
  RATE_LIMIT_OIDC_TOKEN_IP: rateLimit.prefault('30000/1m'),
  RATE_LIMIT_ADMIN_FAILURES_IP: rateLimit.prefault('30/10m'),
  RATE_LIMIT_WEBHOOK_FAILURES_IP: rateLimit.prefault('30/1m'),
  // /metrics is never on the public port unprotected: its own listener, or the main port behind a token.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  METRICS_TOKEN: optionalString.refine(
    (v) => v === undefined || v.length >= MIN_ADMIN_TOKEN_LENGTH,
    `must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (make one with: openssl rand -base64 32)`,
  ),
  METRICS_TENANT_LABELS: flag.default(false),
  AUDIT_RETENTION: duration(0, 400 * 86_400_000).default(30 * 86_400_000),
  SYNC_LOG_RETENTION: duration(0, 400 * 86_400_000).default(7 * 86_400_000),
  CAS_SERVICES_FILE: optionalString,
  // A ticket travels from the browser to the app's server within seconds; CAS 3.0 allows ≤ 5 min.
  CAS_TICKET_TTL: duration(1_000, 300_000).default(30_000),
});

/** The variables once parsed: what the slices are built from. */
export type ConfigVariables = z.output<typeof variables>;
type Variable = keyof ConfigVariables;

/** Every variable name, in the order of the README's table. */
export const CONFIG_VARIABLES = Object.keys(variables.shape) as Variable[];

/**
 * A rule over several variables. It runs whenever the variables it reads are valid on their own,
 * whatever the others are, so one bad value never hides another problem; and it never judges a
 * value that failed its own parser.
 */
function rule<const V extends Variable>(reads: readonly V[], check: (values: Pick<ConfigVariables, V>, report: (variable: Variable, problem: string) => void) => void) {
  return z.superRefine<ConfigVariables>(
    (values, ctx) => check(values, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message })),
    {
      when: (payload) =>
        !payload.issues.some((issue) => {
          const variable = issue.path?.[0];
          return variable !== undefined && (reads as readonly PropertyKey[]).includes(variable);
        }),
    },
  );
}

/**
 * In production nothing may be a throw-away: unset, the variable (or, for the private key, both of
 * its spellings) stops start-up. The private key is named by its file form, the usual one.
 */
const requiredInProduction = (variable: Variable, spellings: readonly Variable[] = [variable]) =>
  rule(['NODE_ENV', ...spellings], (values, report) => {
    const given = values as Partial<Record<Variable, unknown>>;
    if (values.NODE_ENV === 'production' && spellings.every((name) => given[name] === undefined)) {
      report(variable, 'required when NODE_ENV=production');
    }
  });

/** The variables with the rules that span several of them. */
export const configSchema = variables.check(
  rule(['KOO_PRIVATE_KEY', 'KOO_PRIVATE_KEY_FILE'], (values, report) => {
    if (values.KOO_PRIVATE_KEY && values.KOO_PRIVATE_KEY_FILE) {
      report('KOO_PRIVATE_KEY', 'set either KOO_PRIVATE_KEY or KOO_PRIVATE_KEY_FILE, not both');
    }
  }),
  rule(['SESSION_IDLE_TIMEOUT', 'SESSION_ABSOLUTE_TIMEOUT'], (values, report) => {
    if (values.SESSION_IDLE_TIMEOUT > values.SESSION_ABSOLUTE_TIMEOUT) {
      report('SESSION_IDLE_TIMEOUT', 'must not be longer than SESSION_ABSOLUTE_TIMEOUT');
    }
  }),
  rule(['PUBLIC_URL', 'COOKIE_DOMAIN'], (values, report) => {
    if (values.COOKIE_DOMAIN === undefined) return;
    // A cookie with a Domain cannot be `__Host-`; `__Secure-` (https only) is the strongest prefix left.
    if (!values.PUBLIC_URL?.startsWith('https:')) return report('COOKIE_DOMAIN', 'needs an https PUBLIC_URL (the cookie is then `__Secure-` and Secure)');
    const host = new URL(values.PUBLIC_URL).hostname.toLowerCase();
    if (host !== values.COOKIE_DOMAIN && !host.endsWith(`.${values.COOKIE_DOMAIN}`)) report('COOKIE_DOMAIN', `must be PUBLIC_URL's host (${host}) or a parent domain of it`);
  }),
  requiredInProduction('PUBLIC_URL'),
  rule(['NODE_ENV', 'PUBLIC_URL'], (values, report) => {
    if (values.NODE_ENV !== 'production' || values.PUBLIC_URL === undefined) return;
    // http on this machine only: trials and benchmarks of the production build, unreachable to KooGallery.
    const { protocol, hostname } = new URL(values.PUBLIC_URL);
    if (protocol !== 'https:' && !LOOPBACK_HOSTS.has(hostname)) report('PUBLIC_URL', 'must be https when NODE_ENV=production (KooGallery calls only https addresses; Secure cookies need it)');
  }),
  requiredInProduction('REDIS_URL'),
  requiredInProduction('KOO_APP_ID'),
  requiredInProduction('KOO_ACCESS_KEY'),
  requiredInProduction('KOO_PRIVATE_KEY_FILE', ['KOO_PRIVATE_KEY', 'KOO_PRIVATE_KEY_FILE']),
  requiredInProduction('SECRET_KEYS'),
  rule(['KOO_ORDER_AK', 'KOO_ORDER_SK'], (values, report) => {
    if ((values.KOO_ORDER_AK === undefined) !== (values.KOO_ORDER_SK === undefined)) {
      report(values.KOO_ORDER_AK === undefined ? 'KOO_ORDER_AK' : 'KOO_ORDER_SK', 'set both KOO_ORDER_AK and KOO_ORDER_SK, or neither');
    }
  }),
  requiredInProduction('ADMIN_TOKEN'),
  rule(['PORT', 'METRICS_PORT'], (values, report) => {
    if (values.METRICS_PORT !== undefined && values.METRICS_PORT === values.PORT) report('METRICS_PORT', 'must differ from PORT (the metrics listener is a separate one)');
  }),
);

/** The two spellings of the private key alone, read even when other variables are wrong. */
export const privateKeyVariables = variables.pick({ KOO_PRIVATE_KEY: true, KOO_PRIVATE_KEY_FILE: true });
