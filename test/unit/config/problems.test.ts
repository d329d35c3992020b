import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/load.js';
import { isKbError } from '../../../src/shared/errors.js';

type Env = Record<string, string | undefined>;

const noFile = { exists: () => false };
const missing = (p: string): never => {
  throw Object.assign(new Error(`no ${p}`), { code: 'ENOENT' });
};

// Complete but for the private key file, which each test leaves unreadable or replaces.
const production: Env = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://bridge.example.com',
  REDIS_URL: 'redis://127.0.0.1:6379',
  KOO_APP_ID: 'app-1',
  KOO_ACCESS_KEY: 'access-key-1',
  KOO_PRIVATE_KEY_FILE: '/keys/koo.pem',
  SECRET_KEYS: randomBytes(32).toString('base64'),
  ADMIN_TOKEN: 'a'.repeat(32),
};

/** Loads, expects the one ConfigError, and returns it. */
function refusal(env: Env, options: Parameters<typeof loadConfig>[1] = { ...noFile, readFile: missing }): ConfigError {
  try {
    loadConfig(env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect(isKbError(err, 'config_invalid')).toBe(true);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration problems: all of them at once', () => {
  it('reports three independent mistakes together, one `VARIABLE: problem` line each', () => {
    const err = refusal({ NODE_ENV: 'development', PORT: 'eighty', ADMIN_TOKEN: 'short', SESSION_IDLE_TIMEOUT: '2h', SESSION_ABSOLUTE_TIMEOUT: '1h' });
    expect(err.message).toBe(
      [
        'PORT: Invalid input: expected number, received NaN',
        'ADMIN_TOKEN: must be at least 24 characters (make one with: openssl rand -base64 32)',
        'SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT',
      ].join('\n'),
    );
    expect(err.problems).toEqual(err.message.split('\n'));
  });

  it('lists an unreadable key file, a bad Redis URL and bad encryption keys with the production requirements', () => {
    const err = refusal({ ...production, REDIS_URL: 'http://localhost:6379', SECRET_KEYS: 'c2hvcnQ=', KOO_APP_ID: undefined });
    expect(err.problems).toEqual([
      expect.stringMatching(/^REDIS_URL: must start with one of redis:\/\//),
      'KOO_APP_ID: required when NODE_ENV=production',
      'KOO_PRIVATE_KEY_FILE: cannot read /keys/koo.pem (ENOENT)',
      expect.stringMatching(/^SECRET_KEYS: key #1 is not 32 bytes of Base64/),
    ]);
  });

  it('lists a bad inline PEM with the other problems', () => {
    const err = refusal({ ...production, KOO_PRIVATE_KEY_FILE: undefined, KOO_PRIVATE_KEY: 'not a pem', LOG_LEVEL: 'loud' });
    expect(err.problems).toEqual([expect.stringMatching(/^LOG_LEVEL: /), expect.stringMatching(/^KOO_PRIVATE_KEY: the private key is not a readable/)]);
  });

  it('lists problems in the order of the README table, whatever order they were found in', () => {
    // The key file is read after the schema ran, yet its line comes before SECRET_KEYS's.
    const err = refusal({ ...production, SECRET_KEYS: 'c2hvcnQ=', PORT: 'eighty' });
    expect(err.problems.map((line) => line.split(':')[0])).toEqual(['PORT', 'KOO_PRIVATE_KEY_FILE', 'SECRET_KEYS']);
  });

  it('lists each unknown setting of the config file first, and still applies its known ones', () => {
    const file = JSON.stringify({ PROT: 4100, PORT: 'eighty', LOG_LVL: 'debug' });
    const err = refusal({}, { exists: () => true, readFile: () => file });
    expect(err.problems).toEqual([
      'CONFIG_FILE: config/koobridge.json has unknown setting PROT (did you mean PORT?)',
      'CONFIG_FILE: config/koobridge.json has unknown setting LOG_LVL (did you mean LOG_LEVEL?)',
      'PORT: Invalid input: expected number, received NaN',
    ]);
  });

  it('reports a config file that cannot be read or parsed alone: every other problem would be its echo', () => {
    expect(refusal({ ...production, CONFIG_FILE: '/etc/kb.json', PORT: 'eighty' }).problems).toEqual(['CONFIG_FILE: /etc/kb.json does not exist']);
    expect(refusal({ NODE_ENV: 'production' }, { exists: () => true, readFile: () => '{oops' }).problems).toEqual([
      expect.stringMatching(/^CONFIG_FILE: config\/koobridge.json is not valid JSON/),
    ]);
  });

  it('a single problem is a single line, as before', () => {
    expect(refusal({ ...production, KOO_PRIVATE_KEY_FILE: undefined }).message).toBe('KOO_PRIVATE_KEY_FILE: required when NODE_ENV=production');
  });
});

describe('ConfigError', () => {
  it('is a config_invalid KbError whose message is its problems, one a line', () => {
    const err = new ConfigError(['A: one', 'B: two']);
    expect(err).toMatchObject({ code: 'config_invalid', message: 'A: one\nB: two', problems: ['A: one', 'B: two'] });
    expect(new ConfigError('C: three').problems).toEqual(['C: three']);
  });
});
