/**
 * The order of runSignedCall's checks and its bounded body read, on a real HTTP server with the
 * real replay guard (memory store, injected clock) and a trivial handler: cheap checks refuse a
 * request before its body is read or parsed, a body has a deadline (injected short here), JSON
 * nests at most 64 levels, and every string of the body is well-formed Unicode.
 */
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { newNonce, signKitCall } from '../../../src/koogallery/signed-request.js';
import { createReplayGuard } from '../../../src/produce/replay-guard.js';
import { success } from '../../../src/produce/envelope.js';
import { runSignedCall } from '../../../src/produce/signed-call.js';
import type { AppState } from '../../../src/http/state.js';
import { createLogger } from '../../../src/shared/logger.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createHttpServer } from '../../../src/main.js';
import { fakeClock } from '../../support/time.js';

// Counts the parses and canonicalisations of request bodies (the expensive steps) while keeping them real.
const canonical = vi.hoisted(() => ({ parses: 0, canonicalisations: 0 }));
vi.mock('../../../src/koogallery/canonical.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/koogallery/canonical.js')>();
  return {
    ...real,
    parseJsonObject: (raw: string) => {
      canonical.parses += 1;
      return real.parseJsonObject(raw);
    },
    canonicalPayloads: (raw: string) => {
      canonical.canonicalisations += 1;
      return real.canonicalPayloads(raw);
    },
  };
});

const ACCESS_KEY = 'unit-access-key';
const BODY_LIMIT = 8 * 1024 * 1024;
// Long enough for a 4 MiB body over loopback on a loaded machine; only a body that never comes meets it.
const BODY_TIMEOUT_MS = 2_000;
const clock = fakeClock();

describe('runSignedCall', () => {
  let server: Server;
  let url: string;
  const logs: string[] = [];
  const handled: Record<string, unknown>[] = [];

  beforeAll(async () => {
    const store = createMemoryStore({ now: clock.now });
    const guard = createReplayGuard({ store, keys: createKeys('unit:'), clock });
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
    const app = new Koa<AppState>();
    app.use(async (ctx) => {
      ctx.state.log = logger;
      await runSignedCall(ctx, { guard, bodyLimit: BODY_LIMIT, bodyTimeoutMs: BODY_TIMEOUT_MS }, {
        context: { interface: 'tenantSync' },
        signing: (c) => ({ family: 'kit', accessKey: ACCESS_KEY, sign: c.get('x-sign') || undefined, nonce: c.get('x-nonce') || undefined, timestamp: c.get('x-timestamp') || undefined }),
        handle: async (body) => {
          handled.push(body);
          return { answer: success(), summary: {} };
        },
      });
    });
    server = createHttpServer(app.callback()).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => {
    canonical.parses = 0;
    canonical.canonicalisations = 0;
    handled.length = 0;
    logs.length = 0;
  });

  /** A call signed as KooGallery signs it; the signing's own canonicalisation is not counted. */
  const signed = (body: Record<string, unknown>) => {
    const call = signKitCall({ productionUrl: url, name: 'tenantSync', body, accessKey: ACCESS_KEY, nonce: newNonce(), timestamp: String(clock.now()) });
    canonical.parses = 0;
    canonical.canonicalisations = 0;
    return call;
  };
  const post = async (headers: Record<string, string>, body: string) => {
    const res = await fetch(`${url}/produceAPI/v2/tenantSync`, { method: 'POST', headers, body });
    return (await res.json()) as { resultCode: string; resultMsg: string };
  };
  /** The log lines of unexpected failures, or any line carrying a stack. */
  const stacks = () => logs.filter((l) => l.includes('"stack"') || l.includes('"level":50') || l.includes('RangeError'));

  it('a signed call within the limits is applied (the rig works)', async () => {
    const call = signed({ tenantId: 'acme', flag: 1 });
    expect(await post(call.headers, call.body)).toMatchObject({ resultCode: '000000' });
    expect(handled).toEqual([{ tenantId: 'acme', flag: 1 }]);
  });

  describe('cheap checks come before the body', () => {
    it('an unsigned 4 MiB body is refused without being parsed or canonicalised', async () => {
      const big = JSON.stringify({ tenantId: 'acme', orgInfoList: 'x'.repeat(4 * 1024 * 1024) });
      expect(await post({ 'content-type': 'application/json' }, big)).toMatchObject({ resultCode: '000002', resultMsg: 'timestamp is missing' });
      expect(canonical).toMatchObject({ parses: 0, canonicalisations: 0 });
      // The same body with well-formed signing headers is read and checked (a forgery can only be told by its HMAC).
      const forged = signed({ tenantId: 'acme' });
      expect(canonical).toMatchObject({ parses: 0, canonicalisations: 0 });
      expect(await post(forged.headers, big)).toMatchObject({ resultCode: '000001', resultMsg: 'signature does not match' });
      expect(canonical.parses).toBeGreaterThan(0);
      expect(canonical.canonicalisations).toBe(1);
    });

    it.each([
      ['a stale timestamp', { 'x-timestamp': String(clock.now() - 61_000) }, '000002', /timestamp is outside/],
      ['a missing nonce', { 'x-nonce': '' }, '000002', /nonce is missing/],
      ['a malformed nonce', { 'x-nonce': 'a b\u00e9' }, '000002', /nonce must be/],
      ['a missing signature', { 'x-sign': '' }, '000001', /signature is missing/],
      ['a signature that is not 64 hex digits', { 'x-sign': 'zz' }, '000001', /signature does not match/],
    ])('%s is refused before a body that never arrives', async (_name, fault, code, says) => {
      const call = signed({ tenantId: 'acme' });
      // Headers promise 1000 bytes and none follow: only an answer given without reading the body comes back.
      const answer = await rawExchange({ ...call.headers, ...fault, 'content-length': '1000' }, []);
      expect(answer.text).toContain(`"resultCode":"${code}"`);
      expect(JSON.parse(answer.text.slice(answer.text.indexOf('{'))).resultMsg).toMatch(says);
      expect(canonical.parses).toBe(0);
    });

    it('a declared size over the limit is refused before the body is read', async () => {
      const call = signed({ tenantId: 'acme' });
      const answer = await rawExchange({ ...call.headers, 'content-length': String(BODY_LIMIT + 1) }, []);
      expect(answer.text).toContain('"resultCode":"000002"');
      expect(answer.text).toContain(`exceeds the ${BODY_LIMIT}-byte limit`);
    });
  });

  describe('a body has a deadline', () => {
    it('a body trickled slower than the deadline is refused with 000002 and its connection closed', async () => {
      const call = signed({ tenantId: 'acme', flag: 1 });
      // Half the body now, the rest never: the deadline (injected: BODY_TIMEOUT_MS) answers, not the client.
      const answer = await rawExchange({ ...call.headers, 'content-length': String(Buffer.byteLength(call.body)) }, [call.body.slice(0, 10)]);
      expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
      expect(answer.text.toLowerCase()).toContain('connection: close');
      expect(answer.text).toContain('"resultCode":"000002"');
      expect(answer.text).toContain("request body not received in time (within 2 s)");
      expect(answer.closed).toBe(true);
      expect(handled).toEqual([]);
      expect(stacks()).toEqual([]);
    });
  });

  describe('JSON nesting is bounded', () => {
    const deep = (levels: number) => `{"tenantId":"acme","x":${'['.repeat(levels)}${']'.repeat(levels)}}`;

    it('a body nested 5,000 levels is refused with 000002, no stack logged', async () => {
      const call = signed({ tenantId: 'acme' });
      expect(await post(call.headers, deep(5000))).toEqual({ resultCode: '000002', resultMsg: 'request body nests deeper than 64 levels' });
      expect(canonical.canonicalisations).toBe(0);
      expect(stacks()).toEqual([]);
      expect(logs.some((l) => l.includes('"errorCode":"invalid_json"'))).toBe(true);
    });

    it('unsigned, it is refused with 000002 too, no stack logged', async () => {
      expect(await post({ 'content-type': 'application/json' }, deep(5000))).toMatchObject({ resultCode: '000002' });
      expect(stacks()).toEqual([]);
    });

    it('64 levels are within the limit (and reach the signature check)', async () => {
      const call = signed({ tenantId: 'acme' });
      expect(await post(call.headers, deep(63))).toMatchObject({ resultCode: '000001' });
    });
  });

  describe('ill-formed Unicode is refused', () => {
    it('a lone surrogate anywhere in the body is refused with 000002 naming the field, before the signature', async () => {
      const call = signed({ tenantId: 'acme', extra: { list: ['ok', 'bad \ud800'] } });
      expect(call.body).toContain('\\ud800'); // JSON.stringify escapes it: the bytes are valid UTF-8
      expect(await post(call.headers, call.body)).toMatchObject({ resultCode: '000002', resultMsg: 'extra.list[1]: must be well-formed Unicode (it holds a lone UTF-16 surrogate)' });
      expect(handled).toEqual([]);
    });

    it('a lone low surrogate in a key is refused without echoing the key', async () => {
      const call = signed({ tenantId: 'acme', ['k\udc00']: 1 });
      const answer = await post(call.headers, call.body);
      expect(answer).toMatchObject({ resultCode: '000002' });
      expect(answer.resultMsg).toMatch(/^\(a key\): must be well-formed Unicode/);
    });

    it('a well-formed pair (an emoji) and U+FFFD itself pass', async () => {
      const call = signed({ tenantId: 'acme', name: 'a \ud83d\ude00 \ufffd' });
      expect(await post(call.headers, call.body)).toMatchObject({ resultCode: '000000' });
    });
  });

  /**
   * Writes a request by hand: the headers, then each of `chunks`, and never more. Resolves with
   * everything the server sent once it closes the connection or has answered (whichever comes
   * first after the answer's body), and whether it closed.
   */
  function rawExchange(headers: Record<string, string>, chunks: string[]): Promise<{ text: string; closed: boolean }> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const socket: Socket = connect(port, '127.0.0.1');
      let text = '';
      let settled = false;
      const done = (closed: boolean) => {
        if (settled) return;
        settled = true;
        socket.destroy();
        resolve({ text, closed });
      };
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => {
        text += d;
        // An answer on a connection that stays open: done once its JSON body is complete.
        if (!/connection: close/i.test(text) && /\r\n\r\n\{.*\}$/s.test(text)) done(false);
      });
      socket.on('end', () => done(true));
      socket.on('close', () => done(true));
      socket.on('error', reject);
      const head = Object.entries({ host: '127.0.0.1', ...headers }).map(([k, v]) => `${k}: ${v}`).join('\r\n');
      socket.write(`POST /produceAPI/v2/tenantSync HTTP/1.1\r\n${head}\r\n\r\n`);
      for (const chunk of chunks) socket.write(chunk);
    });
  }
});
