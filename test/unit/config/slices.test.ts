import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { generateRsaKeyPair } from '../../../src/koogallery/rsa-keys.js';

const noFile = { exists: () => false };
const secretKey = randomBytes(32).toString('base64');

const everything = {
  NODE_ENV: 'production',
  PORT: '8080',
  HOST: '127.0.0.1',
  PUBLIC_URL: 'https://bridge.example.com/',
  REDIS_URL: 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: 'kb1:',
  PRODUCE_PATH: '/koo/produce/',
  PRODUCE_BODY_LIMIT: '2mb',
  TRUST_PROXY: '1',
  LOG_LEVEL: 'warn',
  KOO_APP_ID: 'app-1, app-debug',
  KOO_ACCESS_KEY: 'kit-key',
  KOO_BASIC_ACCESS_KEY: 'basic-key',
  KOO_PRIVATE_KEY: generateRsaKeyPair(3072).privateKeyPem,
  KOO_ALLOW_INSECURE_IDP: '1',
  KOO_FRONTEND_URL: 'https://app.example.com/start',
  KOO_ADMIN_URL: 'https://app.example.com/admin',
  KOO_INSTANCE_MEMO: '开通后请用企业账号登录',
  KOO_ALLOW_SPEC_CHANGE: '0',
  KOO_ORDER_AK: 'order-ak',
  KOO_ORDER_SK: 'order-sk',
  KOO_ORDER_HOSTS: 'https://orders.example.com, https://orders-fallback.example.com',
  SECRET_KEYS: secretKey,
  ADMIN_TOKEN: 'a'.repeat(32),
  KOO_LOGIN_URL: 'https://login.example.com/portal',
  ALLOWED_RETURN_URLS: 'https://app.example.com/',
  LOGIN_LANDING_URL: 'https://app.example.com/home',
  KOO_IDP_INITIATED: '0',
  SESSION_IDLE_TIMEOUT: '30m',
  SESSION_ABSOLUTE_TIMEOUT: '8h',
  IDP_TIMEOUT: '3s',
  OIDC_CLIENTS_FILE: '/etc/kb/clients.json',
  OIDC_JWKS_FILE: '/etc/kb/jwks.json',
  OIDC_ACCESS_TOKEN_TTL: '30m',
  OIDC_ID_TOKEN_TTL: '15m',
  OIDC_REFRESH_TOKEN_TTL: '7d',
  OIDC_REFRESH_GRACE: '5s',
  OIDC_SESSION_TTL: '8h',
};

describe('configuration slices', () => {
  it('queryInstance points at the bridge login unless told otherwise; no order query without AK/SK', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://bridge.example.com' }, noFile);
    expect(config.produce.instanceInfo).toEqual({ frontEndUrl: 'https://bridge.example.com/sso/login', adminUrl: null, memo: null });
    expect(config.produce.allowSpecChange).toBe(true);
    expect(config.orders).toBeNull();
    expect(config.warnings.join('\n')).toMatch(/KOO_ORDER_AK and KOO_ORDER_SK are not set/);
  });

  it('refuses half an AK/SK pair and a malformed appId list, naming each', () => {
    expect(() => loadConfig({ KOO_ORDER_AK: 'ak' }, noFile)).toThrow('KOO_ORDER_SK: set both KOO_ORDER_AK and KOO_ORDER_SK, or neither');
    expect(() => loadConfig({ KOO_APP_ID: 'app-1,{bad}' }, noFile)).toThrow(/^KOO_APP_ID: must be one or more appIds/);
  });

  it('gives each room its slice of the variables', () => {
    const config = loadConfig(everything, noFile);
    expect(config.server).toEqual({ env: 'production', port: 8080, host: '127.0.0.1', publicUrl: 'https://bridge.example.com', cookieDomain: null, trustProxy: true, logLevel: 'warn' });
    expect(config.store).toEqual({ redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'kb1:' });
    const { privateKey, ...produce } = config.produce;
    expect(produce).toEqual({
      path: '/koo/produce',
      bodyLimit: 2 * 1024 * 1024,
      appId: 'app-1',
      appIds: ['app-1', 'app-debug'],
      accessKey: 'kit-key',
      basicAccessKey: 'basic-key',
      instanceInfo: { frontEndUrl: 'https://app.example.com/start', adminUrl: 'https://app.example.com/admin', memo: '开通后请用企业账号登录' },
      allowSpecChange: false,
      allowInsecureIdp: true,
    });
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
    expect(config.login).toEqual({
      unifiedLoginUrl: 'https://login.example.com/portal',
      allowedReturnUrls: ['https://app.example.com/'],
      allowedReturnPrefixes: [],
      trustProxy: true,
      landingUrl: 'https://app.example.com/home',
      idpInitiated: false,
      appId: 'app-1',
    });
    expect(config.session).toEqual({ idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 8 * 3_600_000 });
    expect(config.idp).toEqual({ timeoutMs: 3_000, allowInsecure: true });
    expect(config.orders).toEqual({ accessKey: 'order-ak', secretKey: 'order-sk', hosts: ['https://orders.example.com', 'https://orders-fallback.example.com'], timeoutMs: 3_000, allowInsecure: true });
    expect(config.oidc).toEqual({
      clientsFile: '/etc/kb/clients.json',
      clientsFileRequired: true,
      jwksFile: '/etc/kb/jwks.json',
      accessTokenTtlS: 1800,
      idTokenTtlS: 900,
      refreshTokenTtlS: 7 * 86_400,
      refreshGraceS: 5,
      sessionTtlS: 8 * 3600,
    });
    expect(config.admin).toEqual({ token: 'a'.repeat(32), appId: 'app-1' });
    expect(config.secrets).toEqual({ keys: [secretKey] });
  });

  it('the basic interfaces are signed with the kit key unless KOO_BASIC_ACCESS_KEY is set', () => {
    expect(loadConfig({ KOO_ACCESS_KEY: 'kit-key' }, noFile).produce.basicAccessKey).toBe('kit-key');
    expect(loadConfig({ KOO_ACCESS_KEY: 'kit-key', KOO_BASIC_ACCESS_KEY: 'basic-key' }, noFile).produce.basicAccessKey).toBe('basic-key');
  });
});
