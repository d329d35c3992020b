/**
 * The configuration as the rooms receive it: one named slice per concern, each holding everything
 * one room needs and nothing else. A value two rooms need (the appId, whether insecure IdPs are
 * allowed) is in both their slices, so neither reaches into the other's.
 */
import type { KeyObject } from 'node:crypto';
import type { ReturnPrefix } from '../shared/return-prefix.js';

/** The process: where it listens and how it logs. */
export interface ServerConfig {
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  /** Origin (and optional path) the bridge is reached at, without a trailing slash. */
  publicUrl: string;
  /** COOKIE_DOMAIN: the session cookie is `__Secure-` with this Domain; null keeps it `__Host-` (host-only). */
  cookieDomain: string | null;
  trustProxy: boolean;
  logLevel: string;
}

export interface StoreConfig {
  /** Null means the embedded memory store (only possible outside production). */
  redisUrl: string | null;
  keyPrefix: string;
}

/** The production address KooGallery calls, and the credentials its calls are checked with. */
export interface ProduceConfig {
  path: string;
  bodyLimit: number;
  /** The app this bridge serves: the first of KOO_APP_ID. Null (development only) accepts sync calls for any appId. */
  appId: string | null;
  /** Every appId whose sync calls are accepted (KOO_APP_ID); logins use the first one's credentials. */
  appIds: string[];
  /** queryInstance's `appInfo` (spec §6): where buyers open the app, its admin page, a note. */
  instanceInfo: { frontEndUrl: string; adminUrl: string | null; memo: string | null };
  /** changeInstanceCheck: whether a renewal may change the spec of a running instance. */
  allowSpecChange: boolean;
  /** Signing key of the kit (sync) interfaces. */
  accessKey: string;
  /**
   * Signing key of the basic (instance) interfaces; KOO_BASIC_ACCESS_KEY, else the kit key (Huawei's
   * sample keeps two keys). The produce room verifies `POST {PRODUCE_PATH}` calls with it.
   */
  basicAccessKey: string;
  /** Decrypts each tenant's clientSecret. A throw-away one is made on first read outside production. */
  readonly privateKey: KeyObject;
  /** Tenant IdP addresses in sync payloads may be http or loopback/private. */
  allowInsecureIdp: boolean;
}

export interface LoginConfig {
  /** KooGallery's unified login page; `?ind=UNOP&appId=` is appended (spec §7). */
  unifiedLoginUrl: string;
  /** Exact URLs a login may return to (`return_to`). */
  allowedReturnUrls: string[];
  /** Origins, or origins and path prefixes, a login may return to anywhere under (deep links). */
  allowedReturnPrefixes: ReturnPrefix[];
  /** Read the original URL of a request from X-Original-URL / X-Forwarded-* (TRUST_PROXY=1). */
  trustProxy: boolean;
  /** Where a login without (an allowed) return_to lands, and every IdP-initiated one. */
  landingUrl: string;
  /** Accept callbacks of logins we did not start (the aPaaS workbench tile). */
  idpInitiated: boolean;
  /** Appended to the unified login URL; whose IdP credentials a login uses (null: the tenant's only app). */
  appId: string | null;
}

export interface SessionConfig {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

/** Outbound calls to a tenant IdP. */
export interface IdpConfig {
  /** Deadline of every call. */
  timeoutMs: number;
  /** http and loopback/private addresses are accepted (development and tests only). */
  allowInsecure: boolean;
}

/** The merchant's calls to KooGallery's order query (spec §9); null when no AK/SK is set. */
export type OrdersConfig = {
  accessKey: string;
  secretKey: string;
  /** Base URLs, tried in order: the main host, then the fallback. */
  hosts: string[];
  timeoutMs: number;
  /** Development only: http and loopback hosts (the simulator). */
  allowInsecure: boolean;
} | null;

export interface OidcConfig {
  clientsFile: string;
  /** False when OIDC_CLIENTS_FILE was left at its default: a missing default file means no clients. */
  clientsFileRequired: boolean;
  jwksFile: string | null;
  accessTokenTtlS: number;
  idTokenTtlS: number;
  refreshTokenTtlS: number;
  refreshGraceS: number;
  sessionTtlS: number;
}

export interface CasConfig {
  servicesFile: string;
  /** False when CAS_SERVICES_FILE was left at its default: a missing default file means no services. */
  servicesFileRequired: boolean;
  /** Lifetime of a service ticket (CAS 3.0: at most 5 minutes). */
  ticketTtlMs: number;
}

export interface AdminConfig {
  /** Null disables the admin API (only possible outside production). */
  token: string | null;
  /** Which of a tenant's app credentials is this bridge's (null: any). */
  appId: string | null;
}

/** One rate limit: at most `points` hits per window of `windowMs`. */
export interface RateLimitSetting {
  points: number;
  windowMs: number;
}

/** The RATE_LIMIT_* variables; null turns a limit off. */
export interface RateLimitsConfig {
  /** Login starts and callbacks (`/sso/login`, `/sso/callback`, `/sso/cas`) per client IP. */
  loginIp: RateLimitSetting | null;
  /** The same per tenant named in the request. */
  loginTenant: RateLimitSetting | null;
  /** OpenID authorization requests (`/oidc/auth`) per client IP. */
  oidcAuthIp: RateLimitSetting | null;
  /** OpenID token requests (`/oidc/token`) per client IP. */
  oidcTokenIp: RateLimitSetting | null;
  /** Failed admin API authentications per client IP. */
  adminFailuresIp: RateLimitSetting | null;
  /** KooGallery calls failing their signature per client IP. */
  webhookFailuresIp: RateLimitSetting | null;
}
/** Prometheus metrics (METRICS_*); null when neither METRICS_PORT nor METRICS_TOKEN is set: nothing is collected or served. */
export type MetricsConfig = {
  /** The separate listener's port; null serves /metrics on the main port behind `token`. */
  port: number | null;
  host: string;
  /** Bearer token /metrics requires (on the main port always; on the separate listener when set). */
  token: string | null;
  /** METRICS_TENANT_LABELS: a `tenant` label on the per-tenant series (cardinality grows with tenants). */
  tenantLabels: boolean;
} | null;

export interface AuditConfig {
  /** How long audit events are kept (AUDIT_RETENTION); 0: no audit trail at all. */
  retentionMs: number;
  /** How long the sync log keeps KooGallery calls (SYNC_LOG_RETENTION); 0: no sync log. */
  syncLogRetentionMs: number;
}

export interface SecretsConfig {
  /** Base64 keys for encryption at rest; the first encrypts, all decrypt. */
  keys: string[];
}

/** SHUTDOWN_*: how main.ts stops on SIGTERM. */
export interface ShutdownConfig {
  /** /readyz answers 503 this long before the listener closes, so load balancers stop sending first. */
  drainMs: number;
  /** Requests in flight may take this long to finish once the listener closed; then their connections close. */
  graceMs: number;
}

export interface ConfigSlices {
  server: ServerConfig;
  shutdown: ShutdownConfig;
  store: StoreConfig;
  produce: ProduceConfig;
  login: LoginConfig;
  session: SessionConfig;
  idp: IdpConfig;
  orders: OrdersConfig;
  oidc: OidcConfig;
  cas: CasConfig;
  admin: AdminConfig;
  metrics: MetricsConfig;
  audit: AuditConfig;
  secrets: SecretsConfig;
  rateLimits: RateLimitsConfig;
  /** What was generated or defaulted unsafely; logged as warnings at start. Never holds secrets. */
  warnings: string[];
}

/** Every slice: each room is handed only its own by app.ts. */
export type Config = ConfigSlices;
