import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../../src/shared/directory-events.js';
import { encryptClientSecret } from '../../tools/simulator/webhook-sender.js';
import { ACCESS_KEY, APP_ID, recordEvents, startBridge, tenantBody, testKeyPair, uniqueTenantId, type Backend, type TestBridge } from '../support/bridge.js';
import { foreignPublicKey } from '../support/keys.js';

const SECRET = 'acme-client-secret-Zq8!';

const appBody = (over: Record<string, unknown> = {}) => ({
  instanceId: 'inst-acme-001',
  tenantId: 'acme',
  appId: APP_ID,
  clientId: 'acme-client-id',
  clientSecret: encryptClientSecret(SECRET, testKeyPair().publicKeyPem),
  flag: 1,
  testFlag: 0,
  timeStamp: '20261121093539534',
  ...over,
});

describe.each<Backend>(['redis', 'memory'])('applicationSync on %s', (backend) => {
  let bridge: TestBridge;
  let tenantId: string;
  let recorder: { events: DirectoryEvent[]; stop: () => void };
  beforeAll(async () => {
    bridge = await startBridge({ backend });
  });
  afterAll(() => bridge?.close());
  // Every test has a tenant of its own: each stands alone and in any order.
  beforeEach(async () => {
    tenantId = uniqueTenantId('acme');
    expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId }))).resultCode).toBe('000000');
    recorder = recordEvents(bridge);
  });
  afterEach(() => recorder?.stop());

  const send = (over: Record<string, unknown> = {}) => bridge.sender.send('applicationSync', appBody({ tenantId, ...over }));
  const added = async () => expect((await send()).resultCode).toBe('000000');

  it('an add decrypts the secret and makes the tenant credentials available to login', async () => {
    const answer = await send();
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getCredentials(tenantId, APP_ID)).toEqual({
      tenantId,
      domainName: 'https://acme.idp.example.com',
      appId: APP_ID,
      clientId: 'acme-client-id',
      clientSecret: SECRET,
    });
    expect(recorder.events).toContainEqual({ type: 'credentials.changed', tenantId, appId: APP_ID, change: 'added' });
  });

  it('a second add of the same credentials changes nothing (no event)', async () => {
    await added();
    const before = recorder.events.length;
    expect((await send()).resultCode).toBe('000000');
    expect(recorder.events.length).toBe(before);
  });

  it('accepts a secret encrypted with OAEP SHA-1 and URL-safe Base64', async () => {
    await added();
    const sha1 = publicEncrypt({ key: createPublicKey(testKeyPair().publicKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('rotated-secret'));
    const answer = await send({ flag: 2, clientSecret: sha1.toString('base64url') });
    expect(answer.resultCode).toBe('000000');
    expect((await bridge.directory.getCredentials(tenantId, APP_ID))?.clientSecret).toBe('rotated-secret');
    expect(recorder.events).toContainEqual({ type: 'credentials.changed', tenantId, appId: APP_ID, change: 'modified' });
  });

  it('a secret that does not decrypt is refused with 000002, saying so, and the stored one stays', async () => {
    await added();
    const other = encryptClientSecret('x', foreignPublicKey());
    const answer = await send({ flag: 2, clientSecret: other });
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toMatch(/clientSecret could not be decrypted/);
    expect((await bridge.directory.getCredentials(tenantId, APP_ID))?.clientSecret).toBe(SECRET);
  });

  it('another appId than KOO_APP_ID is refused with 000002 naming appId', async () => {
    const answer = await send({ appId: 'someone-else' });
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toContain('appId');
    expect(await bridge.directory.getCredentials(tenantId, 'someone-else')).toBeNull();
  });

  it('a delete removes the credentials and emits credentials.changed; deleting again succeeds', async () => {
    await added();
    expect((await bridge.sender.send('applicationSync', { tenantId, appId: APP_ID, flag: 0 })).resultCode).toBe('000000');
    expect(await bridge.directory.getCredentials(tenantId, APP_ID)).toBeNull();
    expect(recorder.events).toContainEqual({ type: 'credentials.changed', tenantId, appId: APP_ID, change: 'deleted' });
    expect((await bridge.sender.send('applicationSync', { tenantId, appId: APP_ID, flag: 0 })).resultCode).toBe('000000');
  });

  it('never writes the secret or the access key to a log line', async () => {
    await added();
    await send({ flag: 2, clientSecret: encryptClientSecret('log-probe-secret', testKeyPair().publicKeyPem) });
    const all = bridge.logs.join('\n');
    expect(all).not.toContain('log-probe-secret');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(ACCESS_KEY);
    expect(all).toContain('"interface":"applicationSync"');
  });
});

describe('applicationSync at rest', () => {
  it('keeps the clientSecret only sealed in Redis (no plaintext, no RSA ciphertext)', async () => {
    const bridge = await startBridge();
    try {
      const body = appBody();
      await bridge.sender.send('tenantSync', tenantBody());
      expect((await bridge.sender.send('applicationSync', body)).resultCode).toBe('000000');
      const dump = JSON.stringify(await bridge.snapshot());
      expect(dump).not.toContain(SECRET);
      expect(dump).not.toContain(String(body.clientSecret).slice(0, 40));
      expect(dump).toMatch(/v1\./);
    } finally {
      await bridge.close();
    }
  });
});
