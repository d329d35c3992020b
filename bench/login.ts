/**
 * bench:login — the browser side of the built service on a real Redis, against the KooGallery
 * simulator in its own process, each figure next to a bare Koa hello-world measured in the same run:
 *  (a) GET /auth/check with a valid session (forward-auth: every request of a protected app pays
 *      it). Goal: ≥ 0.6 of hello-world's requests per second.
 *  (b) complete logins: /sso/login?tenant= → IdP authorize → /sso/callback (code exchange and
 *      userinfo, two back-channel calls to the IdP) → session cookie and 302 to the landing page.
 *      Goal (2 cores): ≥ 300 logins/s.
 * Everything listens on 127.0.0.1 only.
 */
import { availableParallelism } from 'node:os';
import { DEMO_TENANTS } from '../tools/simulator/demo-data.js';
import { BENCH, measure, percentile, round, startBridgeWithSimulator, startRedisAndHello } from './support.js';
import { LoginFailed, VirtualBrowser, type LoginTarget } from './virtual-browser.js';

// Concurrent virtual browsers: enough to keep both cores busy while each waits on three
// round trips of its own and two of the bridge's; more only queues.
const BROWSERS = Number(process.env.BENCH_BROWSERS ?? 16);
const TENANT = DEMO_TENANTS.find((t) => t.tenantId === 'acme')!;
// Only users the directory lets in: a disabled one (wang.wu) is refused by design.
const USERS = TENANT.users.filter((u) => u.enable !== false).map((u) => u.userName);

const stops: Array<() => Promise<void>> = [];
try {
  const { redisUrl, hello } = await startRedisAndHello(stops);

  const { service, stop: stopBridge } = await startBridgeWithSimulator(redisUrl);
  stops.push(stopBridge);

  const target = (userName: string): LoginTarget => ({
    bridgeUrl: service.url,
    tenantId: TENANT.tenantId,
    userName,
    landingUrl: `${service.url}/sso/me`,
    // Cookie names without the __Host- prefix: PUBLIC_URL is http here.
    sessionCookie: 'koobridge',
  });

  const baseline = await measure({ url: hello.url });
  // A reference, not a goal: /readyz is the bridge's middleware plus one Redis round trip (PING),
  // the ceiling of anything that must ask the store — as /auth/check does for its session.
  const ready = await measure({ url: `${service.url}/readyz` });

  // (a) forward-auth with a session obtained by a real login.
  const sid = await new VirtualBrowser(target(USERS[0]!)).login();
  const check = await measure({ url: `${service.url}/auth/check`, headers: { cookie: `koobridge=${sid}` } });

  // (b) logins. Each browser signs in once through the IdP's form first (not counted): from then
  // on it holds the IdP's SSO cookie and authorize redirects at once, as for a workbench user.
  const browsers = Array.from({ length: BROWSERS }, (_, i) => new VirtualBrowser(target(USERS[i % USERS.length]!)));
  await Promise.all(browsers.map((b) => b.login()));
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const lastSids: string[] = [];
  const startedAt = performance.now();
  const deadline = startedAt + BENCH.durationS * 1000;
  await Promise.all(
    browsers.map(async (browser, i) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          lastSids[i] = await browser.login();
          latencies.push(performance.now() - t0);
        } catch (err) {
          const reason = err instanceof LoginFailed ? err.message : `network: ${(err as Error).message}`;
          failures.set(reason, (failures.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsedS = (performance.now() - startedAt) / 1000;
  const loginsPerS = latencies.length / elapsedS;

  // The sessions the run ended with must work: a login that set a cookie nobody honours is no login.
  const finalChecks = await Promise.all(lastSids.map((s) => new VirtualBrowser(target(USERS[0]!)).request(`${service.url}/auth/check`, { headers: { cookie: `koobridge=${s}` } })));
  const dead = finalChecks.filter((r) => r.status !== 200).length;

  const failed = [...failures.values()].reduce((a, b) => a + b, 0);
  console.log(`\nbench:login — ${availableParallelism()} cores, ${BENCH.durationS} s per measurement, ${BENCH.connections} connections (autocannon), ${BROWSERS} virtual browsers (logins)`);
  console.table({
    'koa hello-world (baseline)': { 'per second': round(baseline.rps), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, 'ratio to hello-world': 1 },
    'GET /readyz (reference: 1 Redis PING)': { 'per second': round(ready.rps), 'p50 ms': ready.p50, 'p99 ms': ready.p99, 'ratio to hello-world': round(ready.rps / baseline.rps, 3) },
    'GET /auth/check (valid session)': { 'per second': round(check.rps), 'p50 ms': check.p50, 'p99 ms': check.p99, 'ratio to hello-world': round(check.rps / baseline.rps, 3) },
    'complete login (logins)': {
      'per second': round(loginsPerS),
      'p50 ms': round(percentile(latencies, 0.5), 2),
      'p99 ms': round(percentile(latencies, 0.99), 2),
      'ratio to hello-world': round(loginsPerS / baseline.rps, 4),
    },
  });
  console.log(`/auth/check requests per second as a ratio to hello-world: ${round(check.rps / baseline.rps, 3)} (goal ≥ 0.6; one Redis round trip alone, /readyz, is ${round(ready.rps / baseline.rps, 3)})`);
  console.log(`complete logins per second: ${Math.round(loginsPerS)} (goal ≥ 300 on 2 cores); each is 3 browser requests and 2 back-channel IdP calls`);
  console.log(`logins per second as a ratio to hello-world requests per second: ${round(loginsPerS / baseline.rps, 4)}`);
  console.log(`logins completed: ${latencies.length}, failed: ${failed}; /auth/check non-2xx: ${check.non2xx}, errors: ${check.errors}; final sessions not honoured: ${dead} of ${lastSids.length}`);
  for (const [reason, count] of failures) console.error(`  failed ${count}×: ${reason}`);
  if (failed > 0 || dead > 0 || check.non2xx > 0 || check.errors > 0 || latencies.length === 0) {
    console.error('bench:login: some logins or checks failed; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
