/**
 * From the validated variables to the slices each room receives: defaults that depend on other
 * variables, throw-away secrets outside production, and the start-up warnings, in that order.
 */
import type { KeyObject } from 'node:crypto';
import { throwAwayAccessKey, throwAwayPrivateKey, throwAwaySecretKeys, type ThrowAway } from './dev-secrets.js';
import { DEFAULT_CAS_SERVICES_FILE, DEFAULT_CLIENTS_FILE, type ConfigVariables } from './schema.js';
import type { ConfigSlices } from './types.js';

export interface SliceOptions {
  /** The key read from KOO_PRIVATE_KEY(_FILE); undefined when neither is set. */
  privateKey: KeyObject | undefined;
  /** Makes the throw-away RSA key when one is first needed; tests count its calls. */
  generateRsaKey?: () => KeyObject;
}

export function buildSlices(v: ConfigVariables, { privateKey, generateRsaKey }: SliceOptions): ConfigSlices {
  const warnings: string[] = [];
  const orThrowAway = <T>(given: T | undefined, make: () => ThrowAway<T>): T => {
    if (given !== undefined) return given;
    const { value, warning } = make();
    warnings.push(warning);
    return value;
  };

  if (!v.REDIS_URL) {
    warnings.push('REDIS_URL is not set: using the embedded in-memory store. Data is lost on restart and not shared between instances; set REDIS_URL for anything but a trial.');
  }
  if (v.KOO_ALLOW_INSECURE_IDP) {
    warnings.push('KOO_ALLOW_INSECURE_IDP=1: http and loopback/private tenant IdP addresses are accepted. Never use this in production.');
  }
  const accessKey = orThrowAway(v.KOO_ACCESS_KEY, throwAwayAccessKey);
  if (!v.KOO_APP_ID) warnings.push('KOO_APP_ID is not set: sync calls for any appId are accepted. Set it to your app credential appId.');
  const readPrivateKey = orThrowAway(privateKey && (() => privateKey), () => throwAwayPrivateKey(generateRsaKey));
  const secretKeys = orThrowAway(v.SECRET_KEYS, throwAwaySecretKeys);
  if (!v.ADMIN_TOKEN) warnings.push('ADMIN_TOKEN is not set: the admin API is disabled.');
  // Without PUBLIC_URL the bridge is where `npm start` puts it: this machine, on PORT.
  const publicUrl = v.PUBLIC_URL ?? `http://localhost:${v.PORT}`;
  if (v.NODE_ENV === 'production' && !publicUrl.startsWith('https:')) {
    warnings.push('PUBLIC_URL is not https: cookies are not Secure and KooGallery requires HTTPS for the production address.');
  }
  const appIds = v.KOO_APP_ID ?? [];
  const appId = appIds[0] ?? null;
  if (!v.KOO_ORDER_AK) warnings.push('KOO_ORDER_AK and KOO_ORDER_SK are not set: what tenants bought is not fetched from KooGallery\'s order query, so apps see no charging mode or product.');

  return {
    server: { env: v.NODE_ENV, port: v.PORT, host: v.HOST, publicUrl, cookieDomain: v.COOKIE_DOMAIN ?? null, trustProxy: v.TRUST_PROXY, logLevel: v.LOG_LEVEL },
    shutdown: { drainMs: v.SHUTDOWN_DRAIN, graceMs: v.SHUTDOWN_GRACE },
    store: { redisUrl: v.REDIS_URL ?? null, keyPrefix: v.REDIS_KEY_PREFIX },
    produce: {
      path: v.PRODUCE_PATH,
      bodyLimit: v.PRODUCE_BODY_LIMIT,
      appId,
      appIds,
      accessKey,
      basicAccessKey: v.KOO_BASIC_ACCESS_KEY ?? accessKey,
      instanceInfo: { frontEndUrl: v.KOO_FRONTEND_URL ?? `${publicUrl}/sso/login`, adminUrl: v.KOO_ADMIN_URL ?? null, memo: v.KOO_INSTANCE_MEMO ?? null },
      allowSpecChange: v.KOO_ALLOW_SPEC_CHANGE,
      get privateKey() {
        return readPrivateKey();
      },
      allowInsecureIdp: v.KOO_ALLOW_INSECURE_IDP,
    },
    login: {
      unifiedLoginUrl: v.KOO_LOGIN_URL,
      allowedReturnUrls: v.ALLOWED_RETURN_URLS,
      allowedReturnPrefixes: v.ALLOWED_RETURN_PREFIXES,
      trustProxy: v.TRUST_PROXY,
      landingUrl: v.LOGIN_LANDING_URL ?? `${publicUrl}/sso/me`,
      idpInitiated: v.KOO_IDP_INITIATED,
      appId,
    },
    session: { idleTimeoutMs: v.SESSION_IDLE_TIMEOUT, absoluteTimeoutMs: v.SESSION_ABSOLUTE_TIMEOUT },
    idp: { timeoutMs: v.IDP_TIMEOUT, allowInsecure: v.KOO_ALLOW_INSECURE_IDP },
    orders:
      v.KOO_ORDER_AK && v.KOO_ORDER_SK
        ? { accessKey: v.KOO_ORDER_AK, secretKey: v.KOO_ORDER_SK, hosts: v.KOO_ORDER_HOSTS, timeoutMs: v.IDP_TIMEOUT, allowInsecure: v.KOO_ALLOW_INSECURE_IDP }
        : null,
    oidc: {
      clientsFile: v.OIDC_CLIENTS_FILE ?? DEFAULT_CLIENTS_FILE,
      clientsFileRequired: v.OIDC_CLIENTS_FILE !== undefined,
      jwksFile: v.OIDC_JWKS_FILE ?? null,
      accessTokenTtlS: Math.floor(v.OIDC_ACCESS_TOKEN_TTL / 1000),
      idTokenTtlS: Math.floor(v.OIDC_ID_TOKEN_TTL / 1000),
      refreshTokenTtlS: Math.floor(v.OIDC_REFRESH_TOKEN_TTL / 1000),
      refreshGraceS: Math.floor(v.OIDC_REFRESH_GRACE / 1000),
      sessionTtlS: Math.floor(v.OIDC_SESSION_TTL / 1000),
    },
    cas: { servicesFile: v.CAS_SERVICES_FILE ?? DEFAULT_CAS_SERVICES_FILE, servicesFileRequired: v.CAS_SERVICES_FILE !== undefined, ticketTtlMs: v.CAS_TICKET_TTL },
    admin: { token: v.ADMIN_TOKEN ?? null, appId },
    metrics:
      v.METRICS_PORT !== undefined || v.METRICS_TOKEN !== undefined
        ? { port: v.METRICS_PORT ?? null, host: v.METRICS_HOST, token: v.METRICS_TOKEN ?? null, tenantLabels: v.METRICS_TENANT_LABELS }
        : null,
    audit: { retentionMs: v.AUDIT_RETENTION, syncLogRetentionMs: v.SYNC_LOG_RETENTION },
    secrets: { keys: secretKeys },
    rateLimits: {
      loginIp: v.RATE_LIMIT_LOGIN_IP,
      loginTenant: v.RATE_LIMIT_LOGIN_TENANT,
      oidcAuthIp: v.RATE_LIMIT_OIDC_AUTH_IP,
      oidcTokenIp: v.RATE_LIMIT_OIDC_TOKEN_IP,
      adminFailuresIp: v.RATE_LIMIT_ADMIN_FAILURES_IP,
      webhookFailuresIp: v.RATE_LIMIT_WEBHOOK_FAILURES_IP,
    },
    warnings,
  };
}
