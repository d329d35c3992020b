/**
 * bench:sync — authSync ingestion through the real, built service on a real Redis.
 * Goal (2 cores): ≥ 50,000 users/s and p99 < 200 ms per 500-user call (KooGallery allows 5 s),
 * reported next to a bare Koa hello-world measured in the same run.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createWebhookSender } from '../tools/simulator/webhook-sender.js';
import { startRedisServer, stopRedisServer } from '../test/support/redis-server.js';
import { BENCH, measure, round, startHelloKoa, startService } from './support.js';

const USERS_PER_CALL = 500; // KooGallery's cap per authSync call

const redis = await startRedisServer();
const hello = await startHelloKoa();
const service = await startService(redis.url);
try {
  const accessKey = service.env.KOO_ACCESS_KEY!;
  const sender = createWebhookSender({ productionUrl: `${service.url}/produce`, accessKey });
  const tenant = await sender.send('tenantSync', { tenantId: 'bench', tenantCode: 'bench', name: 'Bench Co.', domainName: 'https://bench.idp.example.com', flag: 1, testFlag: 0 });
  if (tenant.resultCode !== '000000') throw new Error(`tenantSync failed: ${tenant.resultMsg}`);

  const baseline = await measure({ url: hello.url });

  // Every call carries 500 new users, so the run measures real ingestion, not idempotent no-ops.
  let call = 0;
  let ok = 0;
  let refused = 0;
  const bodyFor = (n: number) => {
    const userList = Array.from({ length: USERS_PER_CALL }, (_, i) => ({
      userName: `user.${n}.${i}`,
      name: `Bench User ${n}-${i}`,
      orgCode: `org-${i % 20}`,
      role: i % 50 === 0 ? 'admin' : 'user',
      enable: 'true',
      email: `user.${n}.${i}@bench.example.com`,
    }));
    // Top-level keys already in canonical (sorted) order, so the body text is its own payload.
    return JSON.stringify({ appId: 'bench-app', currentSyncTime: '20261121100000000', flag: 1, instanceId: 'inst-bench', tenantId: 'bench', testFlag: 0, timeStamp: '20261121100000000', userList });
  };
  const synced = await measure({
    url: service.url,
    requests: [
      {
        method: 'POST',
        path: '/produce/produceAPI/v2/authSync',
        setupRequest: (req) => {
          const body = bodyFor(call++);
          const nonce = randomBytes(32).toString('hex');
          const timestamp = String(Date.now());
          const sign = createHmac('sha256', accessKey).update(accessKey + nonce + timestamp + body).digest('hex');
          return { ...req, body, headers: { 'content-type': 'application/json', 'x-sign': sign, 'x-nonce': nonce, 'x-timestamp': timestamp } };
        },
        onResponse: (_status, body) => {
          if (String(body).includes('"resultCode":"000000"')) ok += 1;
          else refused += 1;
        },
      },
    ],
  });

  const client = new Redis(redis.url);
  const stored = await client.zcard(`${service.env.REDIS_KEY_PREFIX}{t:bench}:user-index`);
  client.disconnect();

  const usersPerSecond = synced.rps * USERS_PER_CALL;
  console.log(`\nbench:sync — ${BENCH.durationS} s, ${BENCH.connections} connections, ${USERS_PER_CALL} users per authSync call`);
  console.table({
    'koa hello-world (baseline)': { 'req/s': round(baseline.rps), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99 },
    'authSync, 500 users': { 'req/s': round(synced.rps), 'p50 ms': synced.p50, 'p99 ms': synced.p99 },
  });
  console.log(`users ingested per second: ${Math.round(usersPerSecond)} (goal ≥ 50000)`);
  console.log(`p99 per call: ${synced.p99} ms (goal < 200 ms)`);
  console.log(`authSync calls per second as a ratio to hello-world requests per second: ${round(synced.rps / baseline.rps, 4)}`);
  // Calls still in flight when the run stops may be applied without their answer being counted.
  const expectedMin = ok * USERS_PER_CALL;
  const expectedMax = (ok + BENCH.connections) * USERS_PER_CALL;
  console.log(`answers 000000: ${ok}, refused: ${refused}, users stored: ${stored} (expected ${expectedMin}–${expectedMax})`);
  if (refused > 0 || synced.errors > 0 || stored < expectedMin || stored > expectedMax) {
    console.error('bench:sync: some calls failed or users are missing; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  await service.stop();
  await hello.stop();
  await stopRedisServer(redis);
}
