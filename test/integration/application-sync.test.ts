import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptClientSecret } from '../../tools/simulator/webhook-sender.js';
import { ACCESS_KEY, APP_ID, startBridge, tenantBody, testKeyPair, type Backend, type TestBridge } from '../support/bridge.js';
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
  const events: unknown[] = [];
  beforeAll(async () => {
    bridge = await startBridge({ backend });
    bridge.directory.events.on((e) => void events.push(e));
    await bridge.sender.send('tenantSync', tenantBody());
  });
  afterAll(() => bridge.close());

  it('an add decrypts the secret and makes the tenant credentials available to login', async () => {
    const answer = await bridge.sender.send('applicationSync', appBody());
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getCredentials('acme', APP_ID)).toEqual({
      tenantId: 'acme',
      domainName: 'https://acme.idp.example.com',
      appId: APP_ID,
      clientId: 'acme-client-id',
      clientSecret: SECRET,
    });
    expect(events).toContainEqual({ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'added' });
  });

  it('a second add of the same credentials changes nothing (no event)', async () => {
    const before = events.length;
    expect((await bridge.sender.send('applicationSync', appBody())).resultCode).toBe('000000');
    expect(events.length).toBe(before);
  });

  it('accepts a secret encrypted with OAEP SHA-1 and URL-safe Base64', async () => {
    const sha1 = publicEncrypt({ key: createPublicKey(testKeyPair().publicKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from('rotated-secret'));
    const answer = await bridge.sender.send('applicationSync', appBody({ flag: 2, clientSecret: sha1.toString('base64url') }));
    expect(answer.resultCode).toBe('000000');
    expect((await bridge.directory.getCredentials('acme', APP_ID))?.clientSecret).toBe('rotated-secret');
    expect(events).toContainEqual({ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'modified' });
  });

  it('a secret that does not decrypt is refused with 000002, saying so, and the stored one stays', async () => {
    const other = encryptClientSecret('x', foreignPublicKey());
    const answer = await bridge.sender.send('applicationSync', appBody({ flag: 2, clientSecret: other }));
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toMatch(/clientSecret could not be decrypted/);
    expect((await bridge.directory.getCredentials('acme', APP_ID))?.clientSecret).toBe('rotated-secret');
  });

  it('another appId than KOO_APP_ID is refused with 000002 naming appId', async () => {
    const answer = await bridge.sender.send('applicationSync', appBody({ appId: 'someone-else' }));
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toContain('appId');
    expect(await bridge.directory.getCredentials('acme', 'someone-else')).toBeNull();
  });

  it('a delete removes the credentials and emits credentials.changed; deleting again succeeds', async () => {
    expect((await bridge.sender.send('applicationSync', { tenantId: 'acme', appId: APP_ID, flag: 0 })).resultCode).toBe('000000');
    expect(await bridge.directory.getCredentials('acme', APP_ID)).toBeNull();
    expect(events).toContainEqual({ type: 'credentials.changed', tenantId: 'acme', appId: APP_ID, change: 'deleted' });
    expect((await bridge.sender.send('applicationSync', { tenantId: 'acme', appId: APP_ID, flag: 0 })).resultCode).toBe('000000');
  });

  it('never writes the secret or the access key to a log line', async () => {
    await bridge.sender.send('applicationSync', appBody({ clientSecret: encryptClientSecret('log-probe-secret', testKeyPair().publicKeyPem) }));
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
