/**
 * bench:observability — what reporting costs: the built service with every reporter on (metrics:
 * METRICS_PORT, scraped every few seconds as Prometheus would; the audit trail and the sync log) against the same service with each
 * one switched off, both on the same Redis and each with its own simulator, measured alternately
 * in the same run, each figure also next to a bare Koa hello-world:
 *  (a) GET /auth/check with a valid session (the hot path: a store read per cache miss, the
 *      store wrapper on every command);
 *  (b) complete logins (as bench:login: IdP authorize, callback with two IdP calls, session).
 * Two figures per path, as on/off ratios; goal: within 10 %.
 *  - throughput (requests or logins per second): what users see, but on a shared machine it swings
 *    by tens of percent between two identical services measured one after the other;
 *  - CPU per request: the bridge process's own CPU time (utime + stime from /proc) over what it
 *    answered. Other processes' load barely moves it, so it is the figure that resolves 10 %.
 * Everything listens on 127.0.0.1 only.
 */
import { availableParallelism } from 'node:os';
import { DEMO_TENANTS } from '../tools/simulator/demo-data.js';
import { freePort, startRedisServer, stopRedisServer } from '../test/support/redis-server.js';
import { BENCH, cpuMs, measure, round, startBridgeWithSimulator, startHelloKoa, type BridgeWithSimulator } from './support.js';
import { LoginFailed, VirtualBrowser, type LoginTarget } from './virtual-browser.js';

/** A setting to add (a string) or to leave unset (undefined). */
type Settings = Record<string, string | undefined>;

/**
 * Every reporter off: metrics, the audit trail and the sync log. A new reporter adds its switch
 * here and its "on" settings to `on` below, so this bench keeps measuring all of observability at once.
 */
const OFF: Settings = { METRICS_PORT: undefined, METRICS_TOKEN: undefined, AUDIT_RETENTION: '0', SYNC_LOG_RETENTION: '0' };
const on = async (): Promise<Settings> => ({ METRICS_PORT: String(await freePort()), METRICS_HOST: '127.0.0.1', AUDIT_RETENTION: '30d', SYNC_LOG_RETENTION: '7d' });

// Prometheus scrapes every 15–60 s; every 5 s is the pessimistic end.
const SCRAPE_EVERY_MS = 5_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const BROWSERS = Number(process.env.BENCH_BROWSERS ?? 16);
const TENANT = DEMO_TENANTS.find((t) => t.tenantId === 'acme')!;
const USERS = TENANT.users.filter((u) => u.enable !== false).map((u) => u.userName);

const defined = (s: Settings): Record<string, string> => Object.fromEntries(Object.entries(s).filter((e): e is [string, string] => e[1] !== undefined));
const describe = (s: Settings) => Object.entries(s).map(([k, v]) => `${k}=${v ?? '(unset)'}`).join(' ');

interface Sample {
  perSecond: number;
  /** Bridge CPU ms per request (or per login). */
  cpuPerRequest: number;
}

interface Side {
  name: 'on' | 'off';
  bridge: BridgeWithSimulator;
  pid: number;
  metricsUrl: string | null;
  sid: string;
  browsers: VirtualBrowser[];
  checks: Sample[];
  logins: Sample[];
}

const stops: Array<() => Promise<void>> = [];
let failed = 0;
try {
  const redis = await startRedisServer();
  stops.push(() => stopRedisServer(redis));
  const hello = await startHelloKoa();
  stops.push(() => hello.stop());

  const sides: Side[] = [];
  for (const [name, settings] of [['off', OFF], ['on', { ...OFF, ...(await on()) }]] as const) {
    const bridge = await startBridgeWithSimulator(redis.url, defined(settings));
    stops.push(bridge.stop);
    const target = (userName: string): LoginTarget => ({ bridgeUrl: bridge.service.url, tenantId: TENANT.tenantId, userName, landingUrl: `${bridge.service.url}/sso/me`, sessionCookie: 'koobridge' });
    const browsers = Array.from({ length: BROWSERS }, (_, i) => new VirtualBrowser(target(USERS[i % USERS.length]!)));
    // Each browser signs in once first (not counted): from then on the IdP's SSO cookie answers at once.
    await Promise.all(browsers.map((b) => b.login()));
    const metricsUrl = settings.METRICS_PORT ? `http://127.0.0.1:${settings.METRICS_PORT}/metrics` : null;
    sides.push({ name, bridge, pid: bridge.service.pid!, metricsUrl, sid: await new VirtualBrowser(target(USERS[0]!)).login(), browsers, checks: [], logins: [] });
  }

  /** Runs `work` (answering how many requests it made) while the side is scraped as Prometheus would, and measures the bridge's CPU. */
  async function sampled(side: Side, work: () => Promise<number>): Promise<Sample> {
    const url = side.metricsUrl;
    const timer = url ? setInterval(() => void fetch(url).then((r) => r.text()).catch(() => failed++), SCRAPE_EVERY_MS) : null;
    const cpu0 = cpuMs(side.pid);
    const t0 = performance.now();
    try {
      const requests = await work();
      const seconds = (performance.now() - t0) / 1000;
      return { perSecond: requests / seconds, cpuPerRequest: (cpuMs(side.pid) - cpu0) / Math.max(1, requests) };
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  async function logins(side: Side): Promise<number> {
    let done = 0;
    const deadline = performance.now() + BENCH.durationS * 1000;
    await Promise.all(
      side.browsers.map(async (browser) => {
        while (performance.now() < deadline) {
          try {
            await browser.login();
            done++;
          } catch (err) {
            failed++;
            if (!(err instanceof LoginFailed)) console.error(`network: ${(err as Error).message}`);
          }
        }
      }),
    );
    return done;
  }

  const baseline = await measure({ url: hello.url });
  // Alternating which side goes first each round, so a drift of the machine's load hits both alike.
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      side.checks.push(
        await sampled(side, async () => {
          const check = await measure({ url: `${side.bridge.service.url}/auth/check`, headers: { cookie: `koobridge=${side.sid}` } });
          if (check.non2xx > 0 || check.errors > 0) failed++;
          return check.total;
        }),
      );
    }
    for (const side of order) side.logins.push(await sampled(side, () => logins(side)));
  }

  // The "on" side really reported: its store commands and IdP calls are counted.
  const [off, onS] = [sides.find((s) => s.name === 'off')!, sides.find((s) => s.name === 'on')!];
  const text = await (await fetch(onS.metricsUrl!)).text();
  const counted = (series: RegExp) => Number(series.exec(text)?.[1] ?? 0);
  const storeGets = counted(/^koobridge_store_command_duration_seconds_count\{command="get"\} (\d+)/m);
  const idpTokens = counted(/^koobridge_idp_calls_total\{call="token",outcome="ok"\} (\d+)/m);
  if (storeGets === 0 || idpTokens === 0) {
    console.error('bench:observability: the "on" bridge reported nothing; the comparison is not valid');
    failed++;
  }

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const perSecond = (s: Sample[]) => mean(s.map((x) => x.perSecond));
  const cpu = (s: Sample[]) => mean(s.map((x) => x.cpuPerRequest));
  const row = (s: Sample[]) => ({
    'per second (mean)': round(perSecond(s)),
    'each round': s.map((x) => round(x.perSecond)).join(' / '),
    'ratio to hello-world': round(perSecond(s) / baseline.rps, 3),
    'bridge CPU ms per request': round(cpu(s), 3),
  });
  console.log(`\nbench:observability — ${availableParallelism()} cores, ${ROUNDS} rounds, ${BENCH.durationS} s per measurement, ${BENCH.connections} connections, ${BROWSERS} virtual browsers; "on" scraped every ${SCRAPE_EVERY_MS / 1000} s`);
  console.log(`off: ${describe(OFF)}; on: metrics on a port of their own (METRICS_PORT), the audit trail and sync log kept (their defaults)`);
  console.table({
    'koa hello-world (baseline)': { 'per second (mean)': round(baseline.rps), 'each round': '', 'ratio to hello-world': 1, 'bridge CPU ms per request': '' },
    'GET /auth/check, observability off': row(off.checks),
    'GET /auth/check, observability on': row(onS.checks),
    'complete logins, observability off': row(off.logins),
    'complete logins, observability on': row(onS.logins),
  });
  console.log(`throughput on/off: /auth/check ${round(perSecond(onS.checks) / perSecond(off.checks), 3)}, complete logins ${round(perSecond(onS.logins) / perSecond(off.logins), 3)} (goal ≥ 0.9; swings with the machine's load)`);
  console.log(`bridge CPU per request on/off: /auth/check ${round(cpu(onS.checks) / cpu(off.checks), 3)}, complete logins ${round(cpu(onS.logins) / cpu(off.logins), 3)} (goal ≤ 1.1)`);
  console.log(`the "on" bridge counted ${storeGets} store reads and ${idpTokens} IdP token calls; failures: ${failed}`);
  if (failed > 0) {
    console.error('bench:observability: some requests, logins or scrapes failed; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
