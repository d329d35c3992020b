import { describe, expect, it } from 'vitest';
import { kitCallUrl, newNonce, signBasicCall, signKitCall } from '../../../src/koogallery/signed-request.js';
import { verifySignature } from '../../../src/koogallery/signature.js';
import { ACCESS_KEY, BASIC_BODY, BASIC_SIGN, KIT_BODY, KIT_SIGN, NONCE, TIMESTAMP } from './spec-vectors.js';

const PRODUCTION_URL = 'https://bridge.example.com/produce';
const signing = { productionUrl: PRODUCTION_URL, accessKey: ACCESS_KEY, nonce: NONCE, timestamp: TIMESTAMP };

describe('signKitCall (spec §2, kit interfaces)', () => {
  it('signs the kit vector: x-sign, x-nonce and x-timestamp headers', () => {
    const call = signKitCall({ ...signing, name: 'tenantSync', body: KIT_BODY });
    expect(call.headers).toEqual({ 'content-type': 'application/json', 'x-sign': KIT_SIGN, 'x-nonce': NONCE, 'x-timestamp': TIMESTAMP });
  });

  it('sends the body in its own unsorted order while the signature is over the sorted payload', () => {
    const call = signKitCall({ ...signing, name: 'tenantSync', body: KIT_BODY });
    expect(call.body).toBe(JSON.stringify(KIT_BODY));
    expect(call.body.startsWith('{"instanceId"')).toBe(true);
    const reordered = signKitCall({ ...signing, name: 'tenantSync', body: Object.fromEntries(Object.entries(KIT_BODY).reverse()) });
    expect(reordered.body).not.toBe(call.body);
    expect(reordered.headers['x-sign']).toBe(KIT_SIGN);
  });

  it('leaves null values out of the signed payload, as KooGallery does', () => {
    const call = signKitCall({ ...signing, name: 'tenantSync', body: { ...KIT_BODY, orderId: null, extra: null } });
    expect(call.body).toContain('"extra":null');
    expect(call.headers['x-sign']).toBe(signKitCall({ ...signing, name: 'tenantSync', body: { ...KIT_BODY, orderId: null } }).headers['x-sign']);
  });

  it('posts to {production address}/produceAPI/v2/{interface}, with or without a trailing slash', () => {
    expect(signKitCall({ ...signing, name: 'authSync', body: KIT_BODY }).url).toBe('https://bridge.example.com/produce/produceAPI/v2/authSync');
    expect(kitCallUrl('https://bridge.example.com/', 'allOrgSync')).toBe('https://bridge.example.com/produceAPI/v2/allOrgSync');
  });

  it('is what the verifier accepts', () => {
    const call = signKitCall({ ...signing, name: 'tenantSync', body: KIT_BODY });
    const verify = () =>
      verifySignature({ family: 'kit', accessKey: ACCESS_KEY, sign: call.headers['x-sign'], nonce: call.headers['x-nonce'], timestamp: call.headers['x-timestamp'], rawBody: call.body, now: Number(TIMESTAMP), windowMs: 60_000 });
    expect(verify).not.toThrow();
  });
});

describe('signBasicCall (spec §2, basic interfaces)', () => {
  const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

  it('signs the basic vector in the query: signature, timestamp, nonce', () => {
    const call = signBasicCall({ ...signing, body: BASIC_BODY });
    expect(call.url.startsWith(`${PRODUCTION_URL}?`)).toBe(true);
    expect(queryOf(call.url)).toEqual({ signature: BASIC_SIGN, timestamp: TIMESTAMP, nonce: NONCE });
    expect(call.headers).toEqual({ 'content-type': 'application/json' });
    expect(call.body).toBe(JSON.stringify(BASIC_BODY));
  });

  it('sends a shuffled body as given and signs it as the sorted vector', () => {
    const shuffled = { testFlag: '1', orderLineId: BASIC_BODY.orderLineId, activity: 'newInstance', orderId: BASIC_BODY.orderId, businessId: BASIC_BODY.businessId };
    const call = signBasicCall({ ...signing, body: shuffled });
    expect(call.body).toBe(JSON.stringify(shuffled));
    expect(queryOf(call.url).signature).toBe(BASIC_SIGN);
  });

  it('keeps a query the production address already has', () => {
    const call = signBasicCall({ ...signing, productionUrl: `${PRODUCTION_URL}?region=cn`, body: BASIC_BODY });
    expect(queryOf(call.url)).toEqual({ region: 'cn', signature: BASIC_SIGN, timestamp: TIMESTAMP, nonce: NONCE });
  });

  it('is what the verifier accepts', () => {
    const call = signBasicCall({ ...signing, body: BASIC_BODY });
    const q = queryOf(call.url);
    const verify = () => verifySignature({ family: 'basic', accessKey: ACCESS_KEY, sign: q.signature, nonce: q.nonce, timestamp: q.timestamp, rawBody: call.body, now: Number(TIMESTAMP), windowMs: 60_000 });
    expect(verify).not.toThrow();
  });
});

describe('newNonce', () => {
  it('is 64 upper-case hex digits, new each time', () => {
    expect(newNonce()).toMatch(/^[0-9A-F]{64}$/);
    expect(newNonce()).not.toBe(newNonce());
  });
});
