/**
 * The admin API's view of the OpenID provider: its clients (metadata, never a secret) and its
 * signing keys (kid, alg, state, dates — never key material), from the store's ring or a key file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningJwk } from '../../src/oidc/signing-jwk.js';
import { rotateSigningKeys } from '../../src/oidc/signing-keys.js';
import { createKeys } from '../../src/store/keys.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import { SECRET_KEY, startBridge, type TestBridge } from '../support/bridge.js';
import { startRp, WEB_SECRET, type TestRp } from '../support/oidc-rp.js';

describe('admin API: OpenID clients and signing keys', () => {
  let rp: TestRp;
  let bridge: TestBridge;
  beforeAll(async () => {
    rp = await startRp();
    bridge = await startBridge({ backend: 'redis', env: { OIDC_CLIENTS_FILE: rp.clientsFile } });
  });
  afterAll(async () => {
    await bridge?.close();
    await rp?.close();
  });

  it('lists every client with its metadata and no secret', async () => {
    const res = await bridge.admin('/oidc/clients');
    expect(res.status).toBe(200);
    expect(res.body.clients.find((c: any) => c.clientId === 'web-app')).toEqual({
      clientId: 'web-app',
      name: 'Acme CRM',
      applicationType: 'web',
      firstParty: true,
      tokenEndpointAuthMethod: 'client_secret_basic',
      redirectUris: [`${rp.url}/callback`],
      postLogoutRedirectUris: [`${rp.url}/logged-out`],
      grantTypes: ['authorization_code', 'refresh_token'],
      allowedTenants: null,
      backchannelLogoutUri: `${rp.url}/backchannel`,
    });
    expect(res.body.clients.find((c: any) => c.clientId === 'spa')).toMatchObject({ tokenEndpointAuthMethod: 'none', allowedTenants: ['acme'], backchannelLogoutUri: null });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(WEB_SECRET);
    expect(text).not.toContain('client_secret"');
  });

  it('lists the signing keys of the ring with their states, and never key material', async () => {
    const before = await bridge.admin('/oidc/signing-keys');
    expect(before.body).toEqual({ source: 'store', keys: [{ kid: expect.any(String), alg: 'ES256', state: 'current', createdAt: expect.stringMatching(/^\d{4}-/), retireAfter: null }] });
    await rotateSigningKeys({ store: bridge.store, keys: createKeys(bridge.prefix), secretBox: createSecretBox([SECRET_KEY]) }, { retireAfterMs: 86_400_000 });
    const after = await bridge.admin('/oidc/signing-keys');
    expect(after.body.keys.map((k: any) => k.state)).toEqual(['current', 'next']);
    expect(after.body.keys[0].kid).toBe(before.body.keys[0].kid);
    for (const key of after.body.keys) expect(Object.keys(key).sort()).toEqual(['alg', 'createdAt', 'kid', 'retireAfter', 'state']);
    expect(JSON.stringify(after.body)).not.toMatch(/"(d|x|y|jwk)"/);
  });

  it('needs the admin token', async () => {
    expect((await bridge.admin('/oidc/clients', { token: null })).status).toBe(401);
    expect((await bridge.admin('/oidc/signing-keys', { token: null })).status).toBe(401);
  });
});

describe('admin API: signing keys from OIDC_JWKS_FILE', () => {
  let dir: string;
  let bridge: TestBridge;
  let kids: string[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kb-jwks-'));
    const jwks = [await generateSigningJwk('ES256'), await generateSigningJwk('EdDSA')];
    kids = jwks.map((k) => k.kid);
    writeFileSync(join(dir, 'jwks.json'), JSON.stringify({ keys: jwks }));
    bridge = await startBridge({ backend: 'memory', env: { OIDC_JWKS_FILE: join(dir, 'jwks.json') } });
  });
  afterAll(async () => {
    await bridge?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the file’s keys, the first one signing, without key material', async () => {
    const res = await bridge.admin('/oidc/signing-keys');
    expect(res.body).toEqual({
      source: 'file',
      keys: [
        { kid: kids[0], alg: 'ES256', state: 'current', createdAt: null, retireAfter: null },
        { kid: kids[1], alg: 'EdDSA', state: 'published', createdAt: null, retireAfter: null },
      ],
    });
  });
});
