import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, get, jsonOf, redeem, startSim, userinfo, type RunningSim } from './harness.js';

const SERVICE = 'https://app.example.com/cas';

describe('fault switches', () => {
  let s: RunningSim;
  let idp: string;
  beforeEach(async () => {
    s = await startSim();
    idp = s.idp('acme');
  });
  afterEach(() => s.close());

  const putFaults = (tenantId: string, body: unknown) =>
    fetch(`${s.url}/sim/faults/${tenantId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const validateUrl = (ticket: string, format = 'JSON') =>
    `${idp}/api/v1/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}&format=${format}`;

  it('status500 answers 500 {"error":"server_error"} on every back-channel endpoint by default', async () => {
    s.sim.faults.set('acme', { status500: true });
    expect(await redeem(idp, ACME, 'any')).toEqual({ status: 500, body: { error: 'server_error' } });
    expect(await userinfo(idp, 'any')).toEqual({ status: 500, body: { error: 'server_error' } });
    const res = await get(validateUrl('ST-1'));
    expect(res.status).toBe(500);
    expect(await jsonOf(res)).toEqual({ error: 'server_error' });
  });

  it('a faulted token call changes nothing: the code still works once the fault is cleared', async () => {
    const code = s.sim.issueCode('acme', 'li.si');
    s.sim.faults.set('acme', { status500: true });
    expect((await redeem(idp, ACME, code)).status).toBe(500);
    s.sim.faults.clear('acme');
    expect((await redeem(idp, ACME, code)).status).toBe(200);
  });

  it('faults apply to their tenant only', async () => {
    s.sim.faults.set('globex', { status500: true });
    expect((await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'))).status).toBe(200);
    expect((await redeem(s.idp('globex'), GLOBEX, s.sim.issueCode('globex', 'li.si'))).status).toBe(500);
  });

  it('endpoints limits a fault to the listed endpoints', async () => {
    s.sim.faults.set('acme', { status500: true, endpoints: ['userinfo'] });
    const token = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    expect(token.status).toBe(200);
    expect((await userinfo(idp, token.body.access_token)).status).toBe(500);
  });

  it('browser endpoints are unaffected by default and faulted when listed', async () => {
    const authorize = `${idp}/api/v1/oauth2/authorize?client_id=${ACME.clientId}&redirect_uri=${encodeURIComponent(SERVICE)}&response_type=code`;
    s.sim.faults.set('acme', { status500: true });
    expect((await get(authorize)).status).toBe(200);
    s.sim.faults.set('acme', { status500: true, endpoints: ['authorize', 'casLogin', 'logout'] });
    expect((await get(authorize)).status).toBe(500);
    expect((await get(`${idp}/api/v1/cas/login?service=${encodeURIComponent(SERVICE)}`)).status).toBe(500);
    expect((await get(`${idp}/api/v1/logout`)).status).toBe(500);
    expect((await get(`${idp}/api/v1/cas/logout`)).status).toBe(500);
  });

  it('malformedJson answers 200 with a body cut off mid-JSON (mid-XML for a CAS XML validation)', async () => {
    s.sim.faults.set('acme', { malformedJson: true });
    const res = await fetch(`${idp}/api/v1/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=x' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text.startsWith('{"access_token":')).toBe(true);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    const xml = await get(validateUrl('ST-1', 'XML'));
    expect(xml.headers.get('content-type')).toMatch(/^application\/xml/);
    expect(await xml.text()).not.toContain('</cas:serviceResponse>');
  });

  it('delayMs answers late, and correctly', async () => {
    s.sim.faults.set('acme', { delayMs: 250 });
    const started = Date.now();
    const token = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect(token.status).toBe(200);
  });

  it('hang never answers: a client with a 300 ms timeout gives up, and the simulator still closes', async () => {
    s.sim.faults.set('acme', { hang: true });
    const started = Date.now();
    const call = fetch(`${idp}/api/v1/oauth2/userinfo`, { headers: { authorization: 'Bearer x' }, signal: AbortSignal.timeout(300) });
    await expect(call).rejects.toThrow(expect.objectContaining({ name: 'TimeoutError' }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // afterEach closes it; a close that waited on the hung socket would time the hook out.
  });

  it('closing the server ends a hung request whose client never gives up', async () => {
    // A simulator of its own: this test closes it, the one of afterEach stays open.
    const own = await startSim();
    try {
      own.sim.faults.set('acme', { hang: true });
      const call = fetch(`${own.idp('acme')}/api/v1/oauth2/userinfo`, { headers: { authorization: 'Bearer x' } });
      const outcome = call.then(
        () => 'answered',
        () => 'cut off',
      );
      await expect.poll(() => own.sim.stats().userinfoCalls).toBe(1);
      const started = Date.now();
      await own.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await outcome).toBe('cut off');
    } finally {
      if (own.server.listening) await own.close();
    }
  });

  it('PUT /sim/faults/:tenantId sets the switches over HTTP and DELETE clears them', async () => {
    const put = await putFaults('acme', { status500: true, endpoints: ['token'] });
    expect(put.status).toBe(204);
    expect((await redeem(idp, ACME, 'x')).status).toBe(500);
    const del = await fetch(`${s.url}/sim/faults/acme`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await redeem(idp, ACME, 'x')).status).toBe(400);
  });

  it('PUT /sim/faults refuses an unknown switch or endpoint with 400, and an unknown tenant with 404', async () => {
    for (const body of [{ status500: 'yes' }, { endpoints: ['nope'] }, { explode: true }, { delayMs: -1 }]) {
      const res = await putFaults('acme', body);
      expect(res.status).toBe(400);
      expect((await jsonOf(res)).error).toBe('invalid_request');
    }
    expect((await putFaults('initech', { status500: true })).status).toBe(404);
  });

  it('faults.clear() without a tenant clears every tenant', async () => {
    s.sim.faults.set('acme', { status500: true });
    s.sim.faults.set('globex', { status500: true });
    s.sim.faults.clear();
    expect((await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'))).status).toBe(200);
    expect((await redeem(s.idp('globex'), GLOBEX, s.sim.issueCode('globex', 'li.si'))).status).toBe(200);
  });

  it('faults.set refuses a malformed switch set', () => {
    expect(() => s.sim.faults.set('acme', { delayMs: -5 })).toThrow(expect.objectContaining({ name: 'ZodError', issues: [expect.objectContaining({ path: ['delayMs'], code: 'too_small' })] }));
  });
});
