import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { CONFIG_VARIABLES } from '../../../src/config/schema.js';
import { shortKeyPair, testKeyPair } from '../../support/keys.js';

// Outside production loadConfig makes a throw-away key pair when none is set; the run's pair
// stands in for it (generating one is rsa-keys.test's subject, and costs up to a second).
vi.mock('../../../src/koogallery/rsa-keys.js', async (importOriginal) => {
  const { inject } = await import('vitest');
  return { ...(await importOriginal<object>()), generateRsaKeyPair: () => inject('testKeys').rsa3072 };
});

const pem = testKeyPair().privateKeyPem;
const noFile = { exists: () => false };

const production = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://bridge.example.com',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KOO_APP_ID: 'app-1',
  KOO_ACCESS_KEY: 'access-key-1',
  KOO_PRIVATE_KEY: pem,
  SECRET_KEYS: randomBytes(32).toString('base64'),
  ADMIN_TOKEN: 'a'.repeat(32),
  KOO_ORDER_AK: 'order-ak',
  KOO_ORDER_SK: 'order-sk',
};

describe('configuration', () => {
  it('has safe documented defaults outside production, with a warning for every generated value', () => {
    const config = loadConfig({}, noFile);
    expect(config).toMatchObject({
      server: { env: 'development', port: 3000, publicUrl: 'http://localhost:3000' },
      produce: { path: '/produce', bodyLimit: 4 * 1024 * 1024 },
      store: { redisUrl: null },
      admin: { token: null },
    });
    expect(config.produce.basicAccessKey).toBe(config.produce.accessKey);
    expect(config.warnings.join('\n')).toMatch(/in-memory store/);
    expect(config.warnings.join('\n')).toMatch(/KOO_ACCESS_KEY/);
    expect(config.warnings.join('\n')).toMatch(/ADMIN_TOKEN/);
    // Generated secrets are never echoed in warnings.
    expect(config.warnings.join('\n')).not.toContain(config.produce.accessKey);
  });

  it('without PUBLIC_URL the bridge is on localhost at PORT; in production an http one on a loopback host warns', () => {
    expect(loadConfig({ PORT: '4100' }, noFile).server.publicUrl).toBe('http://localhost:4100');
    expect(loadConfig({ ...production, PUBLIC_URL: 'http://127.0.0.1:4100' }, noFile).warnings.join()).toMatch(/PUBLIC_URL is not https/);
  });

  it('in production PUBLIC_URL is required and https (loopback hosts aside), reported with every other problem', () => {
    const { PUBLIC_URL: _, ...noPublicUrl } = production;
    expect(() => loadConfig({ ...noPublicUrl, PORT: 'eighty' }, noFile)).toThrow('PORT: Invalid input: expected number, received NaN\nPUBLIC_URL: required when NODE_ENV=production');
    expect(() => loadConfig({ ...production, PUBLIC_URL: 'http://bridge.example.com', ADMIN_TOKEN: 'short' }, noFile)).toThrow(
      'PUBLIC_URL: must be https when NODE_ENV=production (KooGallery calls only https addresses; Secure cookies need it)\nADMIN_TOKEN: must be at least 24 characters',
    );
  });

  it('warns once about each unknown variable of a bridge family, suggesting the known name when it is close', () => {
    const config = loadConfig({ ...production, KOO_APPID: 'x', OIDC_CLIENT_FILE: 'x', REDIS_KEYPREFIX: 'x', SHUTDOWN_DRAN: '1s', KOO_SOMETHING_ELSE: 'x', NODE_OPTIONS: '--enable-source-maps', REDIS_SERVICE_HOST: '10.0.0.1', REDIS_PORT_6379_TCP_ADDR: '10.0.0.1', HOME: '/root' }, noFile);
    expect(config.warnings).toEqual([
      'KOO_APPID is not a koobridge setting and is ignored (did you mean KOO_APP_ID?)',
      'KOO_SOMETHING_ELSE is not a koobridge setting and is ignored',
      'OIDC_CLIENT_FILE is not a koobridge setting and is ignored (did you mean OIDC_CLIENTS_FILE?)',
      'REDIS_KEYPREFIX is not a koobridge setting and is ignored (did you mean REDIS_KEY_PREFIX?)',
      'SHUTDOWN_DRAN is not a koobridge setting and is ignored (did you mean SHUTDOWN_DRAIN?)',
    ]);
  });

  it('accepts a complete production configuration without warnings', () => {
    const config = loadConfig(production, noFile);
    expect(config.warnings).toEqual([]);
    expect(config.produce.privateKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it.each(['REDIS_URL', 'KOO_APP_ID', 'KOO_ACCESS_KEY', 'KOO_PRIVATE_KEY', 'SECRET_KEYS', 'ADMIN_TOKEN'])(
    'in production a missing %s stops start-up with one line naming it',
    (name) => {
      const env: Record<string, string | undefined> = { ...production, [name]: undefined };
      const expected = name === 'KOO_PRIVATE_KEY' ? 'KOO_PRIVATE_KEY_FILE' : name;
      expect(() => loadConfig(env, noFile)).toThrow(new RegExp(`^${expected}: required when NODE_ENV=production$`));
    },
  );

  it.each([
    ['PORT', 'eighty', /^PORT: /],
    ['PUBLIC_URL', 'ftp://bridge', /^PUBLIC_URL: /],
    ['PRODUCE_PATH', 'produce', /^PRODUCE_PATH: /],
    ['PRODUCE_BODY_LIMIT', '10', /^PRODUCE_BODY_LIMIT: /],
    ['SECRET_KEYS', 'c2hvcnQ=', /^SECRET_KEYS: key #1 /],
    ['ADMIN_TOKEN', 'short', /^ADMIN_TOKEN: /],
    ['KOO_PRIVATE_KEY', 'not a pem', /^KOO_PRIVATE_KEY: /],
    ['KOO_ALLOW_INSECURE_IDP', 'maybe', /^KOO_ALLOW_INSECURE_IDP: /],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: /],
    ['REDIS_URL', 'http://localhost:6379', /^REDIS_URL: /],
    ['SECRET_KEYS', `${randomBytes(32).toString('base64')},tooshort`, /^SECRET_KEYS: key #2 /],
  ])('a bad %s is refused with a message naming it', (name, value, message) => {
    expect(() => loadConfig({ ...production, [name]: value }, noFile)).toThrow(message);
  });

  it('refuses an RSA key under 3072 bits', () => {
    const small = shortKeyPair().privateKeyPem;
    expect(() => loadConfig({ ...production, KOO_PRIVATE_KEY: small }, noFile)).toThrow(/^KOO_PRIVATE_KEY: .*3072/);
  });

  it('reads KOO_PRIVATE_KEY_FILE and says which file cannot be read', () => {
    const files: Record<string, string> = { '/keys/koo.pem': pem };
    const readFile = (p: string) => {
      if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[p]!;
    };
    const env = { ...production, KOO_PRIVATE_KEY: undefined, KOO_PRIVATE_KEY_FILE: '/keys/koo.pem' };
    expect(loadConfig(env, { ...noFile, readFile }).produce.privateKey.type).toBe('private');
    expect(() => loadConfig({ ...env, KOO_PRIVATE_KEY_FILE: '/keys/missing.pem' }, { ...noFile, readFile })).toThrow('KOO_PRIVATE_KEY_FILE: cannot read /keys/missing.pem (ENOENT)');
  });

  it('takes values from the JSON config file, the environment winning', () => {
    const file = JSON.stringify({ PORT: 4100, PRODUCE_PATH: '/koo/produce', KOO_APP_ID: 'from-file' });
    const config = loadConfig({ KOO_APP_ID: 'from-env' }, { exists: () => true, readFile: () => file });
    expect(config).toMatchObject({ server: { port: 4100 }, produce: { path: '/koo/produce', appId: 'from-env' } });
  });

  it('refuses an unknown setting in the config file', () => {
    expect(() => loadConfig({}, { exists: () => true, readFile: () => '{"PROT": 1}' })).toThrow('CONFIG_FILE: config/koobridge.json has unknown setting PROT (did you mean PORT?)');
    expect(() => loadConfig({}, { exists: () => true, readFile: () => '{"SOMETHING": 1}' })).toThrow(/^CONFIG_FILE: config\/koobridge.json has unknown setting SOMETHING$/);
  });

  it('documents every variable in the README configuration table', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of [...CONFIG_VARIABLES, 'CONFIG_FILE']) expect(readme).toContain(`\`${name}\``);
  });
});
