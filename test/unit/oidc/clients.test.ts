/**
 * OIDC_CLIENTS_FILE: the example loads (and oidc-provider accepts it); every kind of bad entry
 * stops start-up with one line naming the variable, the client and the field.
 */
import { Provider } from '../../../src/oidc/library.js';
import { describe, expect, it } from 'vitest';
import { clientPolicy, loadClients, toProviderMetadata } from '../../../src/oidc/clients.js';
import { generateSigningJwk } from '../../../src/oidc/signing-jwk.js';

const EXAMPLE = 'config/clients.example.json';
const SECRET = 'x'.repeat(32);

const web = (extra: Record<string, unknown> = {}) => ({
  client_id: 'crm',
  client_secret: SECRET,
  redirect_uris: ['https://crm.example.com/callback'],
  ...extra,
});

const native = (extra: Record<string, unknown> = {}) => ({
  client_id: 'desktop',
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  redirect_uris: ['com.example.desktop:/callback', 'http://127.0.0.1/callback', 'http://[::1]/callback'],
  ...extra,
});

/** loadClients on an in-memory file. */
const load = (content: unknown) => loadClients('clients.json', () => (typeof content === 'string' ? content : JSON.stringify(content)));
const refusal = (content: unknown): string => {
  try {
    load(content);
  } catch (err) {
    expect(err).toMatchObject({ code: 'config_invalid' });
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
};

describe('the example clients file', () => {
  it('loads: one confidential web app and one public SPA', () => {
    const clients = loadClients(EXAMPLE);
    expect(clients.map((c) => [c.client_id, c.token_endpoint_auth_method, c.client_secret === undefined])).toEqual([
      ['acme-crm-web', 'client_secret_basic', false],
      ['acme-dashboard-spa', 'none', true],
    ]);
    expect(clients[0]).toMatchObject({
      redirect_uris: ['http://localhost:3001/callback'],
      post_logout_redirect_uris: ['http://localhost:3001/'],
      backchannel_logout_uri: 'http://localhost:3001/backchannel-logout',
    });
  });

  it('is accepted by oidc-provider once the koobridge extensions are split off', async () => {
    const clients = loadClients(EXAMPLE);
    const provider = new Provider('http://localhost:3000/oidc', {
      clients: clients.map(toProviderMetadata),
      jwks: { keys: [await generateSigningJwk('ES256')] },
      clientDefaults: { id_token_signed_response_alg: 'ES256' },
      enabledJWA: { idTokenSigningAlgValues: ['ES256', 'EdDSA'] },
      features: { backchannelLogout: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    });
    for (const c of clients) {
      const found = await provider.Client.find(c.client_id);
      expect(found?.clientId).toBe(c.client_id);
      expect(found?.redirectUris).toEqual(c.redirect_uris);
    }
  });
});

describe('koobridge extensions', () => {
  it('toProviderMetadata drops allowed_tenants and first_party and keeps unknown RFC 7591 fields', () => {
    const [client] = load([web({ allowed_tenants: ['acme'], first_party: false, logo_uri: 'https://crm.example.com/logo.png' })]);
    const metadata = toProviderMetadata(client!);
    expect(metadata).toEqual({ client_id: 'crm', client_secret: SECRET, redirect_uris: ['https://crm.example.com/callback'], logo_uri: 'https://crm.example.com/logo.png' });
  });

  it('clientPolicy: allowed_tenants absent = every tenant (null), first_party defaults to true', () => {
    const [open, restricted] = load([web(), web({ client_id: 'b2b', allowed_tenants: ['acme', 'globex'], first_party: false })]);
    expect(clientPolicy(open!)).toEqual({ allowedTenants: null, firstParty: true });
    expect(clientPolicy(restricted!)).toEqual({ allowedTenants: ['acme', 'globex'], firstParty: false });
  });

  it('a public client (token_endpoint_auth_method none) loads without a secret', () => {
    expect(load([{ client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://app.example.com/cb'] }])).toHaveLength(1);
  });

  it('an empty array is no clients', () => {
    expect(load([])).toEqual([]);
  });
});

describe('the file as a whole is refused', () => {
  it('when it does not exist', () => {
    expect(() => loadClients('/nonexistent/clients.json')).toThrow('OIDC_CLIENTS_FILE: /nonexistent/clients.json does not exist');
  });

  it('when it is not JSON, without quoting its content', () => {
    const message = refusal(`[{"client_id": "crm", "client_secret": "${SECRET}",`);
    expect(message).toBe('OIDC_CLIENTS_FILE: clients.json is not valid JSON');
  });

  it('when it is not an array', () => {
    expect(refusal({ clients: [] })).toBe('OIDC_CLIENTS_FILE: clients.json must hold a JSON array of clients');
  });

  it('when a client_id is listed twice', () => {
    expect(refusal([web(), web()])).toBe('OIDC_CLIENTS_FILE: client "crm": client_id: is listed twice');
  });

  it('when an entry is not an object (named by its position)', () => {
    expect(refusal([web(), 'crm'])).toBe('OIDC_CLIENTS_FILE: client #2: must be a JSON object');
  });
});

describe('a bad entry is refused with the client and the field named', () => {
  const cases: [string, unknown, string][] = [
    ['client_id missing (the client is named by position)', { client_secret: SECRET, redirect_uris: ['https://a.example/cb'] }, 'client #1: client_id: is required'],
    ['client_id with spaces', web({ client_id: 'my app' }), 'client "my app": client_id: must be 1 to 255 printable ASCII'],
    ['client_secret missing on a confidential client', web({ client_secret: undefined }), 'client "crm": client_secret: is required unless token_endpoint_auth_method is "none"'],
    ['client_secret on a public client', web({ token_endpoint_auth_method: 'none' }), 'client "crm": client_secret: must be left out of a public client'],
    ['client_secret too short', web({ client_secret: 'secret' }), 'client "crm": client_secret: must be at least 32 characters'],
    ['redirect_uris missing', web({ redirect_uris: undefined }), 'client "crm": redirect_uris: is required'],
    ['redirect_uris empty', web({ redirect_uris: [] }), 'client "crm": redirect_uris: must list at least one URL'],
    ['redirect_uris relative', web({ redirect_uris: ['/callback'] }), 'client "crm": redirect_uris #1: must be an absolute URL'],
    ['redirect_uris with a fragment', web({ redirect_uris: ['https://a.example/cb#x'] }), 'client "crm": redirect_uris #1: must not contain a fragment'],
    ['redirect_uris http off localhost', web({ redirect_uris: ['https://a.example/cb', 'http://crm.example.com/cb'] }), 'client "crm": redirect_uris #2: must be https (http only on localhost or 127.0.0.1)'],
    ['redirect_uris custom scheme', web({ redirect_uris: ['javascript:alert(1)'] }), 'client "crm": redirect_uris #1: must be an https URL'],
    ['post_logout_redirect_uris http off localhost', web({ post_logout_redirect_uris: ['http://crm.example.com/'] }), 'client "crm": post_logout_redirect_uris #1: must be https'],
    ['backchannel_logout_uri relative', web({ backchannel_logout_uri: '/logout' }), 'client "crm": backchannel_logout_uri: must be an absolute URL'],
    ['backchannel_logout_uri with a fragment', web({ backchannel_logout_uri: 'http://crm.internal/logout#x' }), 'client "crm": backchannel_logout_uri: must not contain a fragment'],
    ['backchannel_logout_session_required not boolean', web({ backchannel_logout_session_required: 'yes' }), 'client "crm": backchannel_logout_session_required: must be true or false'],
    ['grant_types with implicit', web({ grant_types: ['authorization_code', 'implicit'] }), 'client "crm": grant_types #2: must be authorization_code, refresh_token or urn:koobridge:params:oauth:grant-type:koogallery-code'],
    ['native: a client secret (native apps are public)', native({ token_endpoint_auth_method: 'client_secret_basic', client_secret: SECRET }), 'client "desktop": token_endpoint_auth_method: must be "none" for a native app'],
    ['native: http://localhost (RFC 8252 §8.3)', native({ redirect_uris: ['http://localhost/callback'] }), 'client "desktop": redirect_uris #1: must use the loopback IP literal http://127.0.0.1 or http://[::1], not localhost'],
    ['native: http off loopback', native({ redirect_uris: ['http://desktop.example.com/cb'] }), 'client "desktop": redirect_uris #1: must be http only on 127.0.0.1 or [::1]'],
    ['native: a scheme that is not a reverse domain', native({ redirect_uris: ['myapp:/callback'] }), 'client "desktop": redirect_uris #1: must use a reverse-domain private-use scheme'],
    ['native: javascript: scheme', native({ redirect_uris: ['javascript:alert(1)'] }), 'client "desktop": redirect_uris #1: must use a reverse-domain private-use scheme'],
    ['native: a fragment', native({ redirect_uris: ['com.example.desktop:/cb#x'] }), 'client "desktop": redirect_uris #1: must not contain a fragment'],
    ['the KooGallery code grant on a web client', web({ grant_types: ['authorization_code', 'urn:koobridge:params:oauth:grant-type:koogallery-code'] }), 'client "crm": grant_types: may list urn:koobridge:params:oauth:grant-type:koogallery-code only for application_type "native"'],
    ['the KooGallery code grant on a third-party native app', native({ first_party: false, grant_types: ['authorization_code', 'urn:koobridge:params:oauth:grant-type:koogallery-code'] }), 'client "desktop": grant_types: may list urn:koobridge:params:oauth:grant-type:koogallery-code only for a first-party app'],
    ['grant_types without authorization_code', web({ grant_types: ['refresh_token'] }), 'client "crm": grant_types: must include authorization_code'],
    ['response_types other than code', web({ response_types: ['code id_token'] }), 'client "crm": response_types: must be ["code"]'],
    ['token_endpoint_auth_method unknown', web({ token_endpoint_auth_method: 'tls_client_auth' }), 'client "crm": token_endpoint_auth_method: must be one of client_secret_basic, client_secret_post, none'],
    ['application_type unknown', web({ application_type: 'desktop' }), 'client "crm": application_type: must be web or native'],
    ['allowed_tenants empty', web({ allowed_tenants: [] }), 'client "crm": allowed_tenants: must list at least one tenant id'],
    ['allowed_tenants not strings', web({ allowed_tenants: ['acme', 7] }), 'client "crm": allowed_tenants #2: must be a tenant id string'],
    ['first_party not boolean', web({ first_party: 'true' }), 'client "crm": first_party: must be true or false'],
  ];

  it.each(cases)('%s', (_name, entry, expected) => {
    expect(refusal([entry])).toContain(`OIDC_CLIENTS_FILE: ${expected}`);
  });

  it('never puts a client secret in the message', () => {
    const secret = 'very-secret-value-that-is-long-enough';
    expect(refusal([web({ client_secret: secret, redirect_uris: ['ftp://x'] })])).not.toContain(secret);
  });
});

describe('native apps (RFC 8252)', () => {
  it('load with a reverse-domain scheme, loopback IP literals, a claimed https URL and the KooGallery code grant', () => {
    const grants = ['authorization_code', 'refresh_token', 'urn:koobridge:params:oauth:grant-type:koogallery-code'];
    const [c] = load([native({ grant_types: grants, redirect_uris: [...native().redirect_uris, 'https://app.example.com/oauth'] })]);
    expect(c).toMatchObject({ application_type: 'native', grant_types: grants });
  });

  it('are accepted by oidc-provider, which matches a loopback redirect URI on any port', async () => {
    const provider = new Provider('http://localhost:3000/oidc', {
      clients: [toProviderMetadata(load([native()])[0]!)],
      jwks: { keys: [await generateSigningJwk('ES256')] },
      clientDefaults: { id_token_signed_response_alg: 'ES256' },
      enabledJWA: { idTokenSigningAlgValues: ['ES256', 'EdDSA'] },
    });
    const found = (await provider.Client.find('desktop'))!;
    expect(found.redirectUriAllowed('http://127.0.0.1:49152/callback')).toBe(true);
    expect(found.redirectUriAllowed('http://[::1]:8080/callback')).toBe(true);
    expect(found.redirectUriAllowed('http://127.0.0.1:49152/other')).toBe(false);
    expect(found.redirectUriAllowed('com.example.desktop:/callback')).toBe(true);
    expect(found.redirectUriAllowed('com.example.evil:/callback')).toBe(false);
  });
});
