/**
 * The oidc-provider adapter on a real Redis and on the memory store (one suite): payloads round
 * trip, every key expires, lookups by uid and user code, atomic consumption, grant revocation.
 */
import { randomBytes } from 'node:crypto';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { errors } from '../../src/oidc/library.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapterFactory, oidcIdHash } from '../../src/oidc/adapter.js';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { createSecretBox } from '../../src/store/secret-box.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { redisUrl, uniquePrefix } from '../support/redis.js';
import { steppingClock } from '../support/time.js';

const MAX_TTL_SECONDS = 3_600;
const secretBox = createSecretBox([randomBytes(32).toString('base64')]);
const MODELS = [
  'Session',
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'ClientCredentials',
  'Client',
  'InitialAccessToken',
  'RegistrationAccessToken',
  'Interaction',
  'ReplayDetection',
  'PushedAuthorizationRequest',
  'Grant',
  'BackchannelAuthenticationRequest',
];

let seq = 0;
const unique = (what: string) => `${what}-${++seq}-${Math.random().toString(36).slice(2)}`;

/** A payload shaped like oidc-provider's: nested objects, arrays, unicode, numbers, booleans. */
const payloadFor = (model: string, extra: Partial<AdapterPayload> = {}): AdapterPayload => ({
  iat: 1_767_225_600,
  exp: 1_767_229_200,
  jti: unique('jti'),
  kind: model,
  accountId: 'acme|zhang.san',
  clientId: 'portal',
  scope: 'openid profile email',
  claims: { id_token: { email: { essential: true } } },
  extra: { tenant: 'acme', name: 'Zhāng Sān 张三', nested: { list: [1, 'two', false, null] } },
  resource: ['https://api.example.test'],
  expiresWithSession: true,
  ...extra,
});

interface Backend {
  store: Store;
  /** Lets `ms` pass for the store's TTLs: a fake clock moved for memory, a real short wait for Redis. */
  elapse(ms: number): Promise<void>;
}

const backends: [string, () => Backend][] = [
  ['redis', () => ({ store: createRedisStore({ url: redisUrl() }), elapse: (ms) => new Promise((r) => setTimeout(r, ms)) })],
  [
    'memory',
    () => {
      const clock = steppingClock();
      return { store: createMemoryStore({ now: clock.now }), elapse: async (ms) => clock.advance(ms) };
    },
  ],
];

describe.each(backends)('oidc adapter on %s', (_backend, makeBackend) => {
  let store: Store;
  let elapse: Backend['elapse'];
  let keys: Keys;
  let adapter: (name: string) => Adapter;

  beforeAll(() => {
    ({ store, elapse } = makeBackend());
    keys = createKeys(uniquePrefix('oidc-adapter'));
    adapter = createAdapterFactory({ store, keys, secretBox, maxTtlSeconds: MAX_TTL_SECONDS });
  });
  afterAll(async () => {
    await store?.close();
  });

  const pttlOf = (model: string, id: string) => store.pttl(keys.oidc(model, oidcIdHash(id)));

  describe('upsert and find', () => {
    it.each(MODELS)('a %s payload round-trips exactly', async (model) => {
      const id = unique('id');
      const payload = payloadFor(model, { grantId: unique('grant'), uid: unique('uid'), userCode: 'ABCD-EFGH' });
      await adapter(model).upsert(id, payload, 60);
      const found = await adapter(model).find(id);
      expect(found).toEqual(payload);
      expect(JSON.stringify(found)).toBe(JSON.stringify(payload));
    });

    it('the same id under two model names is two records', async () => {
      const id = unique('id');
      await adapter('AccessToken').upsert(id, payloadFor('AccessToken', { scope: 'a' }), 60);
      await adapter('RefreshToken').upsert(id, payloadFor('RefreshToken', { scope: 'b' }), 60);
      expect((await adapter('AccessToken').find(id))?.scope).toBe('a');
      expect((await adapter('RefreshToken').find(id))?.scope).toBe('b');
    });

    it('a second upsert of an id replaces the payload', async () => {
      const id = unique('id');
      await adapter('Interaction').upsert(id, payloadFor('Interaction', { returnTo: 'first' }), 60);
      await adapter('Interaction').upsert(id, payloadFor('Interaction', { returnTo: 'second' }), 60);
      expect((await adapter('Interaction').find(id))?.returnTo).toBe('second');
    });

    it('ids appear in key names only as hashes, and payloads only sealed (an access token id is the token)', async () => {
      const id = unique('secret-token-value');
      await adapter('AccessToken').upsert(id, payloadFor('AccessToken', { jti: id }), 60);
      expect(keys.oidc('AccessToken', oidcIdHash(id))).not.toContain(id);
      const stored = await store.get(keys.oidc('AccessToken', oidcIdHash(id)));
      expect(stored).toMatch(/^v1\./);
      expect(stored).not.toContain(id);
      expect(stored).not.toContain('acme');
    });

    it('a sealed payload copied under another id does not open', async () => {
      const [a, b] = [unique('at'), unique('at')];
      await adapter('AccessToken').upsert(a, payloadFor('AccessToken', { jti: a }), 60);
      await adapter('AccessToken').upsert(b, payloadFor('AccessToken', { jti: b }), 60);
      await store.exec([{ op: 'set', key: keys.oidc('AccessToken', oidcIdHash(b)), value: (await store.get(keys.oidc('AccessToken', oidcIdHash(a))))!, ttlMs: 60_000 }]);
      await expect(adapter('AccessToken').find(b)).rejects.toMatchObject({ code: 'internal' });
    });

    it('a plain JSON record written before payloads were sealed is still read', async () => {
      const id = unique('at');
      const payload = payloadFor('AccessToken', { jti: id });
      await store.exec([{ op: 'set', key: keys.oidc('AccessToken', oidcIdHash(id)), value: JSON.stringify(payload), ttlMs: 60_000 }]);
      expect(await adapter('AccessToken').find(id)).toEqual(payload);
    });
  });

  describe('expiry', () => {
    it('the record expires in expiresIn seconds', async () => {
      const id = unique('id');
      await adapter('AccessToken').upsert(id, payloadFor('AccessToken'), 60);
      const pttl = await pttlOf('AccessToken', id);
      expect(pttl).toBeLessThanOrEqual(60_000);
      expect(pttl).toBeGreaterThan(55_000);
    });

    it('without expiresIn the record expires after maxTtlSeconds', async () => {
      const id = unique('id');
      await adapter('Client').upsert(id, payloadFor('Client'));
      const pttl = await pttlOf('Client', id);
      expect(pttl).toBeLessThanOrEqual(MAX_TTL_SECONDS * 1000);
      expect(pttl).toBeGreaterThan(MAX_TTL_SECONDS * 1000 - 5_000);
    });

    it('every key written has a TTL: record, uid and user-code indexes, grant index, consumed marker', async () => {
      const [sid, uid, dc, code, at, grantId] = ['sid', 'uid', 'dc', 'code', 'at', 'grant'].map(unique) as [string, string, string, string, string, string];
      await adapter('Session').upsert(sid, payloadFor('Session', { uid }), 120);
      await adapter('DeviceCode').upsert(dc, payloadFor('DeviceCode', { userCode: code, grantId }), 120);
      await adapter('AccessToken').upsert(at, payloadFor('AccessToken', { grantId }), 120);
      await adapter('DeviceCode').consume(dc);
      const ttls = await Promise.all(
        [
          keys.oidc('Session', oidcIdHash(sid)),
          keys.oidcUid(oidcIdHash(uid)),
          keys.oidc('DeviceCode', oidcIdHash(dc)),
          keys.oidcUserCode(oidcIdHash(code)),
          keys.oidcConsumed('DeviceCode', oidcIdHash(dc)),
          keys.oidc('AccessToken', oidcIdHash(at)),
          keys.oidcGrant(oidcIdHash(grantId)),
        ].map((k) => store.pttl(k)),
      );
      for (const ttl of ttls) expect(ttl).toBeGreaterThan(0);
      expect(ttls.slice(0, 5).every((t) => t <= 120_000)).toBe(true);
    });

    it('a record is gone once its TTL has passed, and so are its lookups', async () => {
      const [sid, uid] = [unique('sid'), unique('uid')];
      // 20 ms (expiresIn is in seconds): short, as a real Redis must be waited out.
      await adapter('Session').upsert(sid, payloadFor('Session', { uid, jti: sid }), 0.02);
      expect((await adapter('Session').findByUid(uid))?.jti).toBe(sid);
      await elapse(40);
      expect(await adapter('Session').find(sid)).toBeUndefined();
      expect(await adapter('Session').findByUid(uid)).toBeUndefined();
    });
  });

  describe('lookups', () => {
    it('findByUid answers the Session with that uid', async () => {
      const [sid, uid] = [unique('sid'), unique('uid')];
      const payload = payloadFor('Session', { uid });
      await adapter('Session').upsert(sid, payload, 60);
      expect(await adapter('Session').findByUid(uid)).toEqual(payload);
    });

    it('findByUid follows a session re-saved under a new id, even after the old id is destroyed', async () => {
      const [oldId, newId, uid] = [unique('sid'), unique('sid'), unique('uid')];
      await adapter('Session').upsert(oldId, payloadFor('Session', { uid, jti: oldId }), 60);
      await adapter('Session').upsert(newId, payloadFor('Session', { uid, jti: newId }), 60);
      await adapter('Session').destroy(oldId);
      expect((await adapter('Session').findByUid(uid))?.jti).toBe(newId);
    });

    it('findByUserCode answers the DeviceCode with that user code', async () => {
      const [id, code] = [unique('dc'), unique('WXYZ')];
      const payload = payloadFor('DeviceCode', { userCode: code });
      await adapter('DeviceCode').upsert(id, payload, 60);
      expect(await adapter('DeviceCode').findByUserCode(code)).toEqual(payload);
    });

    it('unknown ids, uids and user codes answer undefined; destroying or revoking them is a no-op', async () => {
      expect(await adapter('AccessToken').find(unique('nope'))).toBeUndefined();
      expect(await adapter('Session').findByUid(unique('nope'))).toBeUndefined();
      expect(await adapter('DeviceCode').findByUserCode(unique('nope'))).toBeUndefined();
      await expect(adapter('AccessToken').destroy(unique('nope'))).resolves.toBeUndefined();
      await expect(adapter('AccessToken').revokeByGrantId(unique('nope'))).resolves.toBeUndefined();
    });
  });

  describe('destroy', () => {
    it('removes the record and its uid index', async () => {
      const [sid, uid] = [unique('sid'), unique('uid')];
      await adapter('Session').upsert(sid, payloadFor('Session', { uid }), 60);
      await adapter('Session').destroy(sid);
      expect(await adapter('Session').find(sid)).toBeUndefined();
      expect(await adapter('Session').findByUid(uid)).toBeUndefined();
      expect(await store.pttl(keys.oidcUid(oidcIdHash(uid)))).toBe(-2);
    });

    it('removes a device code and its user-code index, but keeps its consumed marker: a consume racing the destroy still loses', async () => {
      const [id, code] = [unique('dc'), unique('CODE')];
      await adapter('DeviceCode').upsert(id, payloadFor('DeviceCode', { userCode: code }), 60);
      await adapter('DeviceCode').consume(id);
      await adapter('DeviceCode').destroy(id);
      expect(await adapter('DeviceCode').findByUserCode(code)).toBeUndefined();
      expect(await store.pttl(keys.oidcUserCode(oidcIdHash(code)))).toBe(-2);
      expect(await store.pttl(keys.oidcConsumed('DeviceCode', oidcIdHash(id)))).toBeGreaterThan(0);
      await expect(adapter('DeviceCode').consume(id)).rejects.toBeInstanceOf(errors.InvalidGrant);
    });
  });

  describe('consume', () => {
    it('after consume, find shows consumed (seconds epoch) and the rest of the payload unchanged', async () => {
      const id = unique('code');
      const payload = payloadFor('AuthorizationCode');
      await adapter('AuthorizationCode').upsert(id, payload, 60);
      const before = Math.floor(Date.now() / 1000);
      await adapter('AuthorizationCode').consume(id);
      const found = await adapter('AuthorizationCode').find(id);
      expect(found).toEqual({ ...payload, consumed: expect.any(Number) });
      expect(found?.consumed).toBeGreaterThanOrEqual(before);
      expect(found?.consumed).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    });

    it('the consumed marker lives as long as the record, and at least a second', async () => {
      const id = unique('code');
      await adapter('AuthorizationCode').upsert(id, payloadFor('AuthorizationCode'), 60);
      await adapter('AuthorizationCode').consume(id);
      const [marker, record] = await Promise.all([store.pttl(keys.oidcConsumed('AuthorizationCode', oidcIdHash(id))), pttlOf('AuthorizationCode', id)]);
      expect(marker).toBeGreaterThanOrEqual(1_000);
      // Both count down from the same moment; allow the few ms between the two reads.
      expect(marker).toBeLessThanOrEqual(record + 10);
      expect(marker).toBeGreaterThan(record - 1_000);
    });

    it('a second consume of the same id throws invalid_grant (grant already consumed)', async () => {
      const id = unique('code');
      await adapter('AuthorizationCode').upsert(id, payloadFor('AuthorizationCode'), 60);
      await adapter('AuthorizationCode').consume(id);
      const second = adapter('AuthorizationCode').consume(id);
      await expect(second).rejects.toBeInstanceOf(errors.InvalidGrant);
      await expect(second).rejects.toMatchObject({ error: 'invalid_grant', error_detail: 'grant already consumed' });
    });

    it('of 20 parallel consumes of one code, from separate adapters, exactly one succeeds', async () => {
      const id = unique('code');
      await adapter('AuthorizationCode').upsert(id, payloadFor('AuthorizationCode'), 60);
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => adapter('AuthorizationCode').consume(id)));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(19);
      for (const r of refused) expect(r.reason).toBeInstanceOf(errors.InvalidGrant);
    });
  });

  describe('refresh grace', () => {
    const GRACE_SECONDS = 10;
    let clock = 0;
    const graced = () => createAdapterFactory({ store, keys, secretBox, maxTtlSeconds: MAX_TTL_SECONDS, refreshGraceSeconds: GRACE_SECONDS, now: () => clock });

    it('within the grace a used refresh token looks unused and may be used again', async () => {
      clock = Date.now();
      const id = unique('rt');
      await graced()('RefreshToken').upsert(id, payloadFor('RefreshToken'), 60);
      await graced()('RefreshToken').consume(id);
      clock += GRACE_SECONDS * 1000 - 1;
      expect((await graced()('RefreshToken').find(id))?.consumed).toBeUndefined();
      await expect(graced()('RefreshToken').consume(id)).resolves.toBeUndefined();
    });

    it('after the grace the used refresh token shows consumed and a reuse throws invalid_grant', async () => {
      clock = Date.now();
      const id = unique('rt');
      await graced()('RefreshToken').upsert(id, payloadFor('RefreshToken'), 60);
      await graced()('RefreshToken').consume(id);
      const consumedAt = Math.floor(clock / 1000);
      clock += GRACE_SECONDS * 1000;
      expect((await graced()('RefreshToken').find(id))?.consumed).toBe(consumedAt);
      await expect(graced()('RefreshToken').consume(id)).rejects.toBeInstanceOf(errors.InvalidGrant);
    });

    it('the grace never applies to authorization codes', async () => {
      clock = Date.now();
      const id = unique('code');
      await graced()('AuthorizationCode').upsert(id, payloadFor('AuthorizationCode'), 60);
      await graced()('AuthorizationCode').consume(id);
      expect((await graced()('AuthorizationCode').find(id))?.consumed).toBe(Math.floor(clock / 1000));
      await expect(graced()('AuthorizationCode').consume(id)).rejects.toBeInstanceOf(errors.InvalidGrant);
    });
  });

  describe('revokeByGrantId', () => {
    it('removes every token of the grant, whichever model revokes, and nothing of another grant', async () => {
      const [grant, other] = [unique('grant'), unique('grant')];
      const mine = [
        ['AccessToken', unique('at')],
        ['RefreshToken', unique('rt')],
        ['AuthorizationCode', unique('code')],
        ['DeviceCode', unique('dc')],
      ] as const;
      const theirs = [
        ['AccessToken', unique('at')],
        ['RefreshToken', unique('rt')],
      ] as const;
      for (const [model, id] of mine) await adapter(model).upsert(id, payloadFor(model, { grantId: grant }), 60);
      for (const [model, id] of theirs) await adapter(model).upsert(id, payloadFor(model, { grantId: other }), 60);
      await adapter('AuthorizationCode').consume(mine[2][1]);

      await adapter('AccessToken').revokeByGrantId(grant);

      for (const [model, id] of mine) expect(await adapter(model).find(id)).toBeUndefined();
      // The consumed marker outlives the revocation (see the next test).
      expect(await store.pttl(keys.oidcConsumed('AuthorizationCode', oidcIdHash(mine[2][1])))).toBeGreaterThan(0);
      expect(await store.pttl(keys.oidcGrant(oidcIdHash(grant)))).toBe(-2);
      for (const [model, id] of theirs) expect(await adapter(model).find(id)).toMatchObject({ grantId: other });
    });

    it('a code consumed, then revoked with its grant, cannot be consumed again by a caller that found it before', async () => {
      const [grant, code] = [unique('grant'), unique('code')];
      await adapter('AuthorizationCode').upsert(code, payloadFor('AuthorizationCode', { grantId: grant }), 60);
      // Two redeemers found the unconsumed code; the first consumes, a replay revokes the grant.
      await adapter('AuthorizationCode').consume(code);
      await adapter('AuthorizationCode').revokeByGrantId(grant);
      await expect(adapter('AuthorizationCode').consume(code)).rejects.toMatchObject({ error: 'invalid_grant' });
    });

    it('a token destroyed on its own leaves the grant index', async () => {
      const [grant, at, rt] = [unique('grant'), unique('at'), unique('rt')];
      await adapter('AccessToken').upsert(at, payloadFor('AccessToken', { grantId: grant }), 60);
      await adapter('RefreshToken').upsert(rt, payloadFor('RefreshToken', { grantId: grant }), 60);
      await adapter('AccessToken').destroy(at);
      expect(await store.smembers(keys.oidcGrant(oidcIdHash(grant)))).toEqual([`RefreshToken:${oidcIdHash(rt)}`]);
    });

    it('an interaction in progress that carries the grantId is not revoked with its tokens', async () => {
      const [grant, interaction] = [unique('grant'), unique('int')];
      await adapter('Interaction').upsert(interaction, payloadFor('Interaction', { grantId: grant }), 60);
      await adapter('RefreshToken').revokeByGrantId(grant);
      expect(await adapter('Interaction').find(interaction)).toMatchObject({ grantId: grant });
    });
  });
});
