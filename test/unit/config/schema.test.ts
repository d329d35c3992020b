import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configSchema } from '../../../src/config/schema.js';

type Env = Record<string, string | undefined>;

// The schema never opens the key file: reading it is files.ts's job, so any path will do here.
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

/** Every problem the schema finds, as the `VARIABLE: problem` lines loadConfig lists. */
function problems(env: Env): string[] {
  const result = configSchema.safeParse(env);
  return result.success ? [] : result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
}

describe('configuration schema: rules across variables', () => {
  it('accepts a complete production configuration', () => {
    expect(problems(production)).toEqual([]);
  });

  it('refuses the private key given both inline and as a file, naming KOO_PRIVATE_KEY', () => {
    expect(problems({ ...production, KOO_PRIVATE_KEY: 'pem' })).toEqual(['KOO_PRIVATE_KEY: set either KOO_PRIVATE_KEY or KOO_PRIVATE_KEY_FILE, not both']);
    expect(problems({ KOO_PRIVATE_KEY: 'pem', KOO_PRIVATE_KEY_FILE: '/keys/koo.pem' })).toHaveLength(1);
  });

  it('COOKIE_DOMAIN needs an https PUBLIC_URL under that domain', () => {
    expect(problems({ ...production, PUBLIC_URL: 'https://bridge.example.com', COOKIE_DOMAIN: 'example.com' })).toEqual([]);
    expect(problems({ ...production, PUBLIC_URL: 'https://example.com', COOKIE_DOMAIN: '.Example.com' })).toEqual([]);
    expect(problems({ ...production, NODE_ENV: 'test', PUBLIC_URL: 'http://bridge.example.com', COOKIE_DOMAIN: 'example.com' })).toEqual(['COOKIE_DOMAIN: needs an https PUBLIC_URL (the cookie is then `__Secure-` and Secure)']);
    expect(problems({ ...production, NODE_ENV: 'test', PUBLIC_URL: undefined, COOKIE_DOMAIN: 'example.com' })).toHaveLength(1);
    expect(problems({ ...production, PUBLIC_URL: 'https://bridge.example.org', COOKIE_DOMAIN: 'example.com' })).toEqual(["COOKIE_DOMAIN: must be PUBLIC_URL's host (bridge.example.org) or a parent domain of it"]);
    expect(problems({ ...production, PUBLIC_URL: 'https://notexample.com', COOKIE_DOMAIN: 'example.com' })).toHaveLength(1);
    expect(problems({ ...production, PUBLIC_URL: 'https://bridge.example.com', COOKIE_DOMAIN: 'com' })).toHaveLength(1);
  });

  it('ALLOWED_RETURN_PREFIXES lists origins or origins with paths, each checked', () => {
    expect(problems({ ...production, ALLOWED_RETURN_PREFIXES: 'https://app.example.com, https://apps.example.com/crm/' })).toEqual([]);
    expect(problems({ ...production, ALLOWED_RETURN_PREFIXES: 'https://app.example.com,//evil.com,https://a.example.com/?x' })).toEqual([
      'ALLOWED_RETURN_PREFIXES: "//evil.com" is not an absolute http(s) URL',
      'ALLOWED_RETURN_PREFIXES: "https://a.example.com/?x" must be an origin or an origin and a path, without query or fragment',
    ]);
  });

  it('accepts either spelling of the private key alone', () => {
    expect(problems({ ...production, KOO_PRIVATE_KEY_FILE: undefined, KOO_PRIVATE_KEY: 'pem' })).toEqual([]);
    expect(problems(production)).toEqual([]);
  });

  it('refuses an idle timeout longer than the absolute one, and allows them equal', () => {
    expect(problems({ SESSION_IDLE_TIMEOUT: '2h', SESSION_ABSOLUTE_TIMEOUT: '1h' })).toEqual(['SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT']);
    expect(problems({ SESSION_IDLE_TIMEOUT: '13h' })).toEqual(['SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT']);
    expect(problems({ SESSION_IDLE_TIMEOUT: '1h', SESSION_ABSOLUTE_TIMEOUT: '60m' })).toEqual([]);
  });

  it('in production PUBLIC_URL is required, and https unless its host is a loopback one', () => {
    expect(problems({ ...production, PUBLIC_URL: undefined })).toEqual(['PUBLIC_URL: required when NODE_ENV=production']);
    expect(problems({ ...production, PUBLIC_URL: 'http://bridge.example.com' })).toEqual(['PUBLIC_URL: must be https when NODE_ENV=production (KooGallery calls only https addresses; Secure cookies need it)']);
    for (const local of ['http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) expect(problems({ ...production, PUBLIC_URL: local })).toEqual([]);
    expect(problems({ NODE_ENV: 'test', PUBLIC_URL: 'http://bridge.example.com' })).toEqual([]);
  });

  it.each(['REDIS_URL', 'KOO_APP_ID', 'KOO_ACCESS_KEY', 'SECRET_KEYS', 'ADMIN_TOKEN'])('in production %s is required; a blank value counts as unset', (name) => {
    expect(problems({ ...production, [name]: undefined })).toEqual([`${name}: required when NODE_ENV=production`]);
    expect(problems({ ...production, [name]: '  ' })).toEqual([`${name}: required when NODE_ENV=production`]);
  });

  it('in production the private key is required in one of its spellings, and named by its file form', () => {
    expect(problems({ ...production, KOO_PRIVATE_KEY_FILE: undefined })).toEqual(['KOO_PRIVATE_KEY_FILE: required when NODE_ENV=production']);
  });

  it('outside production nothing is required', () => {
    expect(problems({})).toEqual([]);
    expect(problems({ NODE_ENV: 'test' })).toEqual([]);
  });

  it('lists every production requirement at once', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'PUBLIC_URL: required when NODE_ENV=production',
      'REDIS_URL: required when NODE_ENV=production',
      'KOO_APP_ID: required when NODE_ENV=production',
      'KOO_ACCESS_KEY: required when NODE_ENV=production',
      'KOO_PRIVATE_KEY_FILE: required when NODE_ENV=production',
      'SECRET_KEYS: required when NODE_ENV=production',
      'ADMIN_TOKEN: required when NODE_ENV=production',
    ]);
  });

  it('checks a rule even when a variable it does not read is bad', () => {
    expect(problems({ ...production, PORT: 'eighty', KOO_PRIVATE_KEY: 'pem', SESSION_IDLE_TIMEOUT: '13h' })).toEqual([
      'PORT: Invalid input: expected number, received NaN',
      'KOO_PRIVATE_KEY: set either KOO_PRIVATE_KEY or KOO_PRIVATE_KEY_FILE, not both',
      'SESSION_IDLE_TIMEOUT: must not be longer than SESSION_ABSOLUTE_TIMEOUT',
    ]);
  });

  it('never judges a rule on a value that failed its own parser', () => {
    expect(problems({ SESSION_IDLE_TIMEOUT: 'soon', SESSION_ABSOLUTE_TIMEOUT: '1h' })).toEqual([
      'SESSION_IDLE_TIMEOUT: must be a duration such as 90s, 30m, 12h (a bare number is seconds)',
    ]);
    // A bad NODE_ENV says nothing about production: no requirement is guessed from it.
    expect(problems({ NODE_ENV: 'prod' })).toEqual(['NODE_ENV: Invalid option: expected one of "production"|"development"|"test"']);
  });

  it('names each bad return URL', () => {
    expect(problems({ ALLOWED_RETURN_URLS: 'https://app.example.com/, ftp://files, /relative' })).toEqual([
      'ALLOWED_RETURN_URLS: "ftp://files" is not an absolute http(s) URL',
      'ALLOWED_RETURN_URLS: "/relative" is not an absolute http(s) URL',
    ]);
  });
});

describe('configuration schema: variables', () => {
  it('names its variables in the order of the README table, the order problems are listed in', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Endpoints'));
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...CONFIG_VARIABLES, 'CONFIG_FILE']);
  });
});
