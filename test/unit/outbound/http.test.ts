import { Readable } from 'node:stream';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { outboundRequest, type OutboundRequest } from '../../../src/outbound/http.js';
import { expectCode, useNock } from '../connectors/helpers.js';

useNock();

const HOST = 'https://idp.example.com';
const get = (over: Partial<OutboundRequest> = {}): Promise<Awaited<ReturnType<typeof outboundRequest>>> =>
  outboundRequest({ url: `${HOST}/x`, method: 'GET', timeoutMs: 1000, allowInsecure: false, ...over });

describe('outboundRequest', () => {
  it('returns status, headers and body text of any answer', async () => {
    nock(HOST).get('/x').reply(404, 'nope', { 'x-test': 'yes' });
    const res = await get();
    expect(res).toMatchObject({ status: 404, text: 'nope', headers: { 'x-test': 'yes' } });
  });

  it('sends the method, headers and body it is given', async () => {
    let seen: { body: string; type: string | undefined } | undefined;
    nock(HOST)
      .post('/x')
      .reply(function (_uri, body) {
        seen = { body: String(body), type: this.req.headers['content-type'] as string | undefined };
        return [200, 'ok'];
      });
    await get({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(seen).toEqual({ body: 'hello', type: 'text/plain' });
  });

  describe('https only unless insecure IdPs are allowed', () => {
    it('refuses an http:// URL', async () => {
      const scope = nock('http://idp.example.com').get('/x').reply(200, 'plain');
      const err = await expectCode(get({ url: 'http://idp.example.com/x' }), 'idp_forbidden_address');
      expect(err.message).toMatch(/https/);
      expect(scope.isDone()).toBe(false);
    });

    it('allows an http:// URL when insecure IdPs are allowed', async () => {
      nock('http://idp.example.com').get('/x').reply(200, 'plain');
      expect((await get({ url: 'http://idp.example.com/x', allowInsecure: true })).text).toBe('plain');
    });

    it('refuses other schemes even when insecure IdPs are allowed', async () => {
      await expectCode(get({ url: 'ftp://idp.example.com/x', allowInsecure: true }), 'idp_forbidden_address');
      await expectCode(get({ url: 'file:///etc/passwd', allowInsecure: true }), 'idp_forbidden_address');
    });

    it('refuses URLs with credentials and text that is not a URL', async () => {
      await expectCode(get({ url: 'https://user:pw@idp.example.com/x' }), 'idp_forbidden_address');
      await expectCode(get({ url: 'not a url' }), 'idp_forbidden_address');
    });
  });

  it('never follows a redirect: the caller sees the 3xx', async () => {
    nock(HOST).get('/x').reply(302, '', { location: 'https://elsewhere.example.com/steal' });
    const elsewhere = nock('https://elsewhere.example.com').get('/steal').reply(200, 'stolen');
    const res = await get();
    expect(res.status).toBe(302);
    expect(elsewhere.isDone()).toBe(false);
  });

  // What is checked is that the client stops waiting at its deadline, not how fast this machine
  // is: the slow answer comes (or the body ends) only long after it, and the bound is half of that.
  describe('one deadline covers the whole exchange', () => {
    const SLOW_MS = 30_000;

    it('gives up on a slow answer with idp_unavailable within the deadline', async () => {
      nock(HOST).get('/x').delay(SLOW_MS).reply(200, 'late');
      const started = Date.now();
      const err = await expectCode(get({ timeoutMs: 150 }), 'idp_unavailable');
      expect(err.message).toBe('tenant IdP did not answer within 150 ms');
      expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
    });

    it('gives up on a body that trickles in past the deadline', async () => {
      const body = new Readable({ read() {} });
      body.push('{"partial":');
      nock(HOST).get('/x').reply(200, () => body);
      const started = Date.now();
      await expectCode(get({ timeoutMs: 150 }), 'idp_unavailable');
      expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
      body.destroy();
    });
  });

  describe('bodies are capped', () => {
    it('refuses a declared length over maxBytes', async () => {
      nock(HOST).get('/x').reply(200, 'x'.repeat(2048));
      const err = await expectCode(get({ maxBytes: 1024 }), 'idp_bad_response');
      expect(err.message).toMatch(/larger than 1024 bytes/);
    });

    it('refuses a streamed body (no length) that grows over maxBytes', async () => {
      nock(HOST).get('/x').reply(200, () => Readable.from(['a'.repeat(600), 'b'.repeat(600)]));
      await expectCode(get({ maxBytes: 1024 }), 'idp_bad_response');
    });

    it('caps at 1 MiB by default', async () => {
      nock(HOST).get('/x').reply(200, 'x'.repeat(1024 * 1024 + 1));
      await expectCode(get(), 'idp_bad_response');
    });

    it('accepts a body of exactly maxBytes', async () => {
      nock(HOST).get('/x').reply(200, 'x'.repeat(1024));
      expect((await get({ maxBytes: 1024 })).text).toHaveLength(1024);
    });
  });

  describe('connection failures are idp_unavailable with a short reason', () => {
    it('names the reason and the host, not the query string', async () => {
      nock(HOST).get('/x').query(true).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const err = await expectCode(get({ url: `${HOST}/x?ticket=ST-secret-ticket` }), 'idp_unavailable');
      expect(err.message).toBe('tenant IdP idp.example.com: connection refused');
    });

    it('reports an answer cut off mid-body as unavailable, not as a short success', async () => {
      // The first read gets part of the answer; when more is asked for, the connection resets. Driven
      // by the reader rather than a timer, so the reset never comes before the body is being read.
      let started = false;
      const body = new Readable({
        read() {
          if (started) this.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
          else this.push('{"access_token":');
          started = true;
        },
      });
      nock(HOST).get('/x').reply(200, () => body);
      const err = await expectCode(get(), 'idp_unavailable');
      expect(err.message).toMatch(/^tenant IdP idp\.example\.com: /);
    });

    it('reports an unknown error code as a generic connection failure', async () => {
      nock(HOST).get('/x').replyWithError(Object.assign(new Error('weird https://idp.example.com/x?code=abc'), { code: 'EWEIRD' }));
      const err = await expectCode(get(), 'idp_unavailable');
      expect(err.message).toBe('tenant IdP idp.example.com: connection failed (EWEIRD)');
    });
  });

  describe('messages name the peer when one is given (KooGallery order query)', () => {
    const peer = 'KooGallery order query';

    it('in connection failures and deadlines', async () => {
      nock(HOST).get('/x').replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
      expect((await expectCode(get({ peer }), 'idp_unavailable')).message).toBe('KooGallery order query idp.example.com: connection refused');
      nock(HOST).get('/x').delay(3000).reply(200, 'late');
      expect((await expectCode(get({ peer, timeoutMs: 100 }), 'idp_unavailable')).message).toBe('KooGallery order query did not answer within 100 ms');
    });

    it('in address refusals, without the tenant-IdP development hint', async () => {
      const http = await expectCode(get({ peer, url: 'http://idp.example.com/x' }), 'idp_forbidden_address');
      expect(http.message).toBe('KooGallery order query must be reached over https (http:// is refused)');
      const loopback = await expectCode(get({ peer, url: 'https://127.0.0.1/x' }), 'idp_forbidden_address');
      expect(loopback.message).toBe('KooGallery order query host 127.0.0.1 is loopback, private or reserved; refused');
    });
  });
});
