/**
 * bench:audit — what the audit trail and the sync log cost, through the real, built service on a
 * real Redis, each figure next to a bare Koa hello-world measured in the same run. The same two
 * workloads run with the trail on (the defaults) and off (`AUDIT_RETENTION=0`,
 * `SYNC_LOG_RETENTION=0`), one service at a time:
 *  (a) admin calls with a wrong bearer token: each is one audit event (admin_action refused) — the
 *      worst case, a request that does almost nothing else;
 *  (b) signed tenantSync calls (idempotent after the first): each is one sync-log entry.
 * Goal: calls that do real work (b) keep at least 0.9 of their rate with the trail on; (a) is
 * reported as the worst case (one store write added to a request that writes nothing else). The
 * streams must then hold one entry per answered request, and none with the trail off.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startRedisServer, stopRedisServer } from '../test/support/redis-server.js';
import { BENCH, measure, round, startHelloKoa, startService, type Measured, type Service } from './support.js';

const TENANT = JSON.stringify({ domainName: 'https://bench.idp.example.com', flag: 1, instanceId: 'inst-bench', name: 'Bench Co.', tenantCode: 'bench', tenantId: 'bench', testFlag: 0, timeStamp: '20261121100000000' });

async function workloads(service: Service): Promise<{ admin: Measured; sync: Measured; answered: { admin: number; sync: number } }> {
  const answered = { admin: 0, sync: 0 };
  const admin = await measure({
    url: `${service.url}/admin/api/tenants`,
    headers: { authorization: 'Bearer not-the-admin-token-0000000000' },
    requests: [{ onResponse: (status) => void (status === 401 && (answered.admin += 1)) }],
  });
  const accessKey = service.env.KOO_ACCESS_KEY!;
  const sync = await measure({
    url: service.url,
    requests: [
      {
        method: 'POST',
        path: '/produce/produceAPI/v2/tenantSync',
        setupRequest: (req) => {
          const nonce = randomBytes(32).toString('hex');
          const timestamp = String(Date.now());
          const sign = createHmac('sha256', accessKey).update(accessKey + nonce + timestamp + TENANT).digest('hex');
          return { ...req, body: TENANT, headers: { 'content-type': 'application/json', 'x-sign': sign, 'x-nonce': nonce, 'x-timestamp': timestamp } };
        },
        onResponse: (_status, body) => void (String(body).includes('"resultCode":"000000"') && (answered.sync += 1)),
      },
    ],
  });
  return { admin, sync, answered };
}

async function streamLengths(redisUrl: string, prefix: string): Promise<{ audit: number; sync: number }> {
  const client = new Redis(redisUrl);
  try {
    return { audit: await client.xlen(`${prefix}audit`), sync: await client.xlen(`${prefix}sync-log`) };
  } finally {
    client.disconnect();
  }
}

const redis = await startRedisServer();
const hello = await startHelloKoa();
try {
  const baseline = await measure({ url: hello.url });
  const runs: Record<'on' | 'off', Awaited<ReturnType<typeof workloads>> & { stored: { audit: number; sync: number } }> = {} as never;
  for (const mode of ['on', 'off'] as const) {
    const service = await startService(redis.url, mode === 'off' ? { AUDIT_RETENTION: '0', SYNC_LOG_RETENTION: '0' } : {});
    try {
      const result = await workloads(service);
      // The service flushes its queue at shutdown: count after it stopped.
      await service.stop();
      runs[mode] = { ...result, stored: await streamLengths(redis.url, service.env.REDIS_KEY_PREFIX!) };
    } finally {
      await service.stop();
    }
  }
  const row = (m: Measured) => ({ 'req/s': round(m.rps), 'ratio to hello': round(m.rps / baseline.rps, 3), 'p50 ms': m.p50, 'p99 ms': m.p99 });
  console.log(`\nbench:audit — ${BENCH.durationS} s per figure, ${BENCH.connections} connections`);
  console.table({
    'koa hello-world (baseline)': row(baseline),
    'refused admin token, trail on': row(runs.on.admin),
    'refused admin token, trail off': row(runs.off.admin),
    'tenantSync, sync log on': row(runs.on.sync),
    'tenantSync, sync log off': row(runs.off.sync),
  });
  const adminRatio = runs.on.admin.rps / runs.off.admin.rps;
  const syncRatio = runs.on.sync.rps / runs.off.sync.rps;
  console.log(`on/off: tenantSync ${round(syncRatio, 3)} (goal ≥ 0.9); refused admin token ${round(adminRatio, 3)} (worst case, reported)`);
  console.log(`stored with the trail on: ${runs.on.stored.audit} audit events for ${runs.on.answered.admin} refused tokens, ${runs.on.stored.sync} sync-log entries for ${runs.on.answered.sync} calls`);
  console.log(`stored with the trail off: ${runs.off.stored.audit} audit events, ${runs.off.stored.sync} sync-log entries (expected 0)`);
  // Every answered request is stored (in-flight ones at the stop may add a few).
  const complete = runs.on.stored.audit >= runs.on.answered.admin && runs.on.stored.sync >= runs.on.answered.sync;
  if (!complete || runs.off.stored.audit + runs.off.stored.sync > 0 || runs.on.admin.errors + runs.on.sync.errors > 0) {
    console.error('bench:audit: entries are missing or the switch did not switch; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  await hello.stop();
  await stopRedisServer(redis);
}
