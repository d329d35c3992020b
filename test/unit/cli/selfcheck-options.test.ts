import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSelfcheckOptions, readTimeout } from '../../../src/cli/selfcheck/options.js';
import { testKeyPair } from '../../support/bridge.js';

const URL_FLAG = ['--url', 'https://bridge.example.com/produce'];
const files: Record<string, string> = {};
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return text;
};
const fullEnv = () => ({ KOO_ACCESS_KEY: 'kit-key', KOO_APP_ID: 'app-one, app-two', KOO_PRIVATE_KEY: testKeyPair().privateKeyPem });
const problemsOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('selfcheck options', () => {
  it('take the keys and the appId the bridge itself reads: basic key defaults to the kit key, the first appId, 5 s', () => {
    const o = readSelfcheckOptions(URL_FLAG, fullEnv(), readFile);
    expect(o).toMatchObject({ productionUrl: 'https://bridge.example.com/produce', accessKey: 'kit-key', basicAccessKey: 'kit-key', appId: 'app-one', timeoutMs: 5000, json: false, adminToken: null });
    expect(o.publicKey.type).toBe('public');
    expect(readSelfcheckOptions([...URL_FLAG], { ...fullEnv(), KOO_BASIC_ACCESS_KEY: 'basic-key' }, readFile).basicAccessKey).toBe('basic-key');
  });

  it('flags win over the environment', () => {
    const o = readSelfcheckOptions([...URL_FLAG, '--access-key', 'k2', '--basic-access-key', 'b2', '--app-id', 'app-x', '--timeout', '800ms', '--admin-token', 'tok', '--json'], fullEnv(), readFile);
    expect(o).toMatchObject({ accessKey: 'k2', basicAccessKey: 'b2', appId: 'app-x', timeoutMs: 800, json: true, adminToken: 'tok' });
  });

  it('read --public-key as a public key, or as the private key it belongs to', () => {
    files['/pub.pem'] = testKeyPair().publicKeyPem;
    files['/priv.pem'] = testKeyPair().privateKeyPem;
    const env = { KOO_ACCESS_KEY: 'k', KOO_APP_ID: 'a' };
    const a = readSelfcheckOptions([...URL_FLAG, '--public-key', '/pub.pem'], env, readFile).publicKey;
    const b = readSelfcheckOptions([...URL_FLAG, '--public-key', '/priv.pem'], env, readFile).publicKey;
    expect(a.equals(b)).toBe(true);
  });

  it('refuse a public key KooGallery would not take, without quoting it', () => {
    files['/small.pem'] = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    files['/junk.pem'] = 'not a key';
    const env = { KOO_ACCESS_KEY: 'k', KOO_APP_ID: 'a' };
    expect(problemsOf(() => readSelfcheckOptions([...URL_FLAG, '--public-key', '/small.pem'], env, readFile))).toContain('KooGallery requires at least 3072');
    expect(problemsOf(() => readSelfcheckOptions([...URL_FLAG, '--public-key', '/junk.pem'], env, readFile))).toContain('holds no readable PEM key');
    expect(problemsOf(() => readSelfcheckOptions([...URL_FLAG, '--public-key', '/missing.pem'], env, readFile))).toContain('cannot read /missing.pem (ENOENT)');
  });

  it('report every problem at once, one line each', () => {
    const message = problemsOf(() => readSelfcheckOptions(['--url', 'ftp://bridge.example.com', '--timeout', 'soon'], {}, readFile));
    expect(message.split('\n')).toEqual([
      'selfcheck cannot start:',
      '  --url must be an absolute http(s) URL',
      expect.stringContaining('  no access key: pass --access-key or set KOO_ACCESS_KEY'),
      expect.stringContaining('  no public key: pass --public-key FILE'),
      expect.stringContaining('  no appId: pass --app-id or set KOO_APP_ID'),
      expect.stringContaining('  --timeout must be a duration'),
    ]);
  });

  it('require --url, without credentials in it', () => {
    expect(problemsOf(() => readSelfcheckOptions([], fullEnv(), readFile))).toContain('--url is required');
    expect(problemsOf(() => readSelfcheckOptions(['--url', 'https://u:p@bridge.example.com/produce'], fullEnv(), readFile))).toContain('must not carry credentials');
  });

  it('refuse both spellings of the private key at once', () => {
    expect(problemsOf(() => readSelfcheckOptions(URL_FLAG, { ...fullEnv(), KOO_PRIVATE_KEY_FILE: '/priv.pem' }, readFile))).toContain('not both');
  });

  it('read a timeout as 5s, 2.5s, 800ms or bare seconds, up to 60 s', () => {
    expect(['5s', '2.5s', '800ms', '3', ' 10 S '].map(readTimeout)).toEqual([5000, 2500, 800, 3000, 10_000]);
    for (const bad of ['0', '0ms', '61s', 'soon', '-1s', '5m']) expect(() => readTimeout(bad)).toThrow('--timeout must be a duration');
  });
});
