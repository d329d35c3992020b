/**
 * Deprovisioning tells the truth under store faults: a real Redis behind a proxy that denies a
 * command, stalls requests or answers, or drops connections. Whatever the store does, a call never
 * answers 000000 while a removed user's session is still valid, and a session whose removal was
 * written (even late, after the call answered 000005) is never honoured again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hashSid } from '../../src/sessions/session-store.js';
import { createKeys } from '../../src/store/keys.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { authBody, startBridge, tenantBody, uniqueTenantId, user, type TestBridge } from '../support/bridge.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { redisUrl } from '../support/redis.js';

// Short, so a stalled call answers 000005 quickly (production: 2 s).
const COMMAND_TIMEOUT_MS = 400;

interface Rig {
  proxy: FaultProxy;
  bridge: TestBridge;
  /** Straight to Redis, past the proxy: what the store really holds. */
  direct: Store;
  tenantId: string;
  keys: ReturnType<typeof createKeys>;
  /** A session per user name, made before the faults start. */
  sids: Map<string, string>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) {
    rig.proxy.heal();
    await rig.bridge.close();
    await rig.bridge.store.close();
    await rig.direct.close();
    await rig.proxy.close();
  }
});

async function rig(userNames: string[]): Promise<Rig> {
  const proxy = await startFaultProxy(redisUrl());
  const store = createRedisStore({ url: proxy.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
  const bridge = await startBridge({ store });
  const direct = createRedisStore({ url: redisUrl() });
  const tenantId = uniqueTenantId('faults');
  const r: Rig = { proxy, bridge, direct, tenantId, keys: createKeys(bridge.prefix), sids: new Map() };
  rigs.push(r);
  expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId }))).resultCode).toBe('000000');
  for (let i = 0; i < userNames.length; i += 100) {
    expect((await bridge.sender.send('authSync', authBody(userNames.slice(i, i + 100).map((u) => user(u)), { tenantId }))).resultCode).toBe('000000');
  }
  for (const userName of userNames) {
    const { sid } = await bridge.sessions.create(identity(tenantId, userName), 'oauth2', null);
    expect(await bridge.sessions.get(sid)).not.toBeNull(); // read once: now in the hot-path cache too
    r.sids.set(userName, sid);
  }
  return r;
}

const identity = (tenantId: string, userName: string) => ({
  tenantId,
  tenantCode: tenantId,
  tenantName: 'Faults Inc.',
  userName,
  name: null,
  role: 'user' as const,
  orgCode: null,
  email: null,
  mobile: null,
});

const cancel = (r: Rig, userNames: string[], over: Record<string, unknown> = {}) =>
  r.bridge.sender.send('authSync', authBody(userNames.map((userName) => ({ userName })), { tenantId: r.tenantId, flag: 3, currentSyncTime: '20991231000000000', ...over }));

const statusOf = async (r: Rig, userName: string) => JSON.parse((await r.direct.hget(r.keys.users(r.tenantId), userName)) ?? 'null')?.status ?? null;
const sessionStored = async (r: Rig, userName: string) => (await r.direct.get(r.keys.session(hashSid(r.sids.get(userName)!)))) !== null;
const pendingMarkers = async (r: Rig) => Object.keys(await r.direct.hgetall(r.keys.revocations(r.tenantId))).length;

describe('deprovisioning under store faults', () => {
  it('a command the revocation needs is denied: the call answers 000005, the session is refused meanwhile, ended once the store serves again; the repeat answers 000000', async () => {
    const r = await rig(['zhang.san']);
    r.proxy.deny('smembers'); // the session index read of the revocation
    expect((await cancel(r, ['zhang.san'])).resultCode).toBe('000005');
    expect(r.proxy.denied).toBeGreaterThan(0);
    // The cancellation itself was written, its revocation kept pending with it.
    expect(await statusOf(r, 'zhang.san')).toBe('cancelled');
    expect(await pendingMarkers(r)).toBe(1);
    expect(await sessionStored(r, 'zhang.san')).toBe(true);
    // Not honoured while the revocation cannot complete (the cached copy was dropped).
    await expect(r.bridge.sessions.get(r.sids.get('zhang.san'))).rejects.toMatchObject({ code: 'store_unavailable' });

    r.proxy.heal();
    expect(await r.bridge.sessions.get(r.sids.get('zhang.san'))).toBeNull();
    expect(await sessionStored(r, 'zhang.san')).toBe(false);
    expect(await pendingMarkers(r)).toBe(0);
    expect((await cancel(r, ['zhang.san'])).resultCode).toBe('000000');
  });

  it('connections dropped every 30 ms during 60 cancellations: no 000000 while a session stays valid, and no cancelled user keeps a session', { timeout: 60_000 }, async () => {
    const names = Array.from({ length: 60 }, (_, i) => `user.${i}`);
    const r = await rig(names);
    const answers = new Map<string, string>();
    const dropper = setInterval(() => r.proxy.drop(), 30);
    try {
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < names.length) {
            const name = names[next++]!;
            const answer = (await cancel(r, [name])).resultCode;
            // A 000000 is only given once the session is gone from the store.
            if (answer === '000000') expect(await sessionStored(r, name), name).toBe(false);
            answers.set(name, answer);
          }
        }),
      );
    } finally {
      clearInterval(dropper);
    }
    expect([...answers.values()].every((a) => a === '000000' || a === '000005')).toBe(true);
    for (const name of names) {
      const status = await statusOf(r, name);
      if (answers.get(name) === '000000') expect(status, name).toBe('cancelled');
      // Whatever the answer: a cancelled user's session is not honoured (a pending revocation completes on read).
      if (status === 'cancelled') expect(await r.bridge.sessions.get(r.sids.get(name)), name).toBeNull();
    }
  });

  it('a cancellation whose write is stalled past the timeout answers 000005 and lands later: the session is not honoured once it did', async () => {
    const r = await rig(['zhang.san']);
    // The users' versioned write (a script naming the users key), and everything after it on that connection.
    r.proxy.stallRequests((args) => /^eval/i.test(args[0] ?? '') && args.some((a) => a === r.keys.users(r.tenantId)));
    expect((await cancel(r, ['zhang.san'])).resultCode).toBe('000005');
    expect(await statusOf(r, 'zhang.san')).toBe('active'); // not applied... yet

    r.proxy.release();
    await expect.poll(() => statusOf(r, 'zhang.san'), { timeout: 5_000, interval: 20 }).toBe('cancelled');
    // Landed with its pending revocation: the session (still in the store) is refused and ended on read.
    expect(await pendingMarkers(r)).toBe(1);
    expect(await r.bridge.sessions.get(r.sids.get('zhang.san'))).toBeNull();
    expect(await sessionStored(r, 'zhang.san')).toBe(false);
    expect(await pendingMarkers(r)).toBe(0);
  });

  it('a write that lands late is completed by the outbox sweep, enqueued behind it, without any session being read', async () => {
    const r = await rig(['zhang.san']);
    r.proxy.stallRequests((args) => /^eval/i.test(args[0] ?? '') && args.some((a) => a === r.keys.users(r.tenantId)));
    expect((await cancel(r, ['zhang.san'])).resultCode).toBe('000005');
    r.proxy.release();
    await expect.poll(() => statusOf(r, 'zhang.san'), { timeout: 5_000, interval: 20 }).toBe('cancelled');
    // The sweep job was sent after the stalled write on the same connection: it landed after it.
    const outbox = r.keys.outbox();
    await expect.poll(async () => Object.values(await r.direct.hgetall(outbox.jobs)).filter((j) => j.includes(r.tenantId)).length, { timeout: 5_000, interval: 20 }).toBe(1);
    expect(await sessionStored(r, 'zhang.san')).toBe(true);

    await r.bridge.directory.revocationJob()({ tenantId: r.tenantId }, { id: 'test', kind: 'directory.revocations', attempt: 1, signal: new AbortController().signal });
    expect(await sessionStored(r, 'zhang.san')).toBe(false);
    expect(await pendingMarkers(r)).toBe(0);
  });

  it("the answer to the cancellation's write is stalled past the timeout: 000005 although applied, and the session is not honoured", async () => {
    const r = await rig(['zhang.san']);
    r.proxy.stallAnswers((args) => /^eval/i.test(args[0] ?? '') && args.some((a) => a === r.keys.users(r.tenantId)));
    expect((await cancel(r, ['zhang.san'])).resultCode).toBe('000005');
    expect(await statusOf(r, 'zhang.san')).toBe('cancelled'); // applied at once; only its answer was late
    r.proxy.release();
    expect(await r.bridge.sessions.get(r.sids.get('zhang.san'))).toBeNull();
    expect(await sessionStored(r, 'zhang.san')).toBe(false);
  });
});
