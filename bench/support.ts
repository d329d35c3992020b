/**
 * What the benchmarks share: starting the built service and the Koa baseline as child processes on
 * free loopback ports, running autocannon, and printing figures as ratios to the baseline.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { generateRsaKeyPair } from '../src/koogallery/rsa-keys.js';
import { freePort, startRedisServer, stopRedisServer } from '../test/support/redis-server.js';
import { loadPrivateKey, publicKeyPem } from '../src/koogallery/rsa-keys.js';
import { DEMO_TENANTS } from '../tools/simulator/demo-data.js';
import { syncTenants } from '../tools/simulator/sync.js';

export const BENCH = {
  durationS: Number(process.env.BENCH_DURATION ?? 10),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 8),
};

export interface Service {
  url: string;
  env: Record<string, string>;
  /** The process id of the child, to read its CPU time (bench:observability). */
  pid?: number;
  stop(): Promise<void>;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process for ${url} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The built service (dist/main.js) in production mode on a Redis, with made-up credentials. */
export async function startService(redisUrl: string, extraEnv: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: `bench${randomBytes(3).toString('hex')}:`,
    KOO_APP_ID: 'bench-app',
    KOO_ACCESS_KEY: randomBytes(24).toString('base64url'),
    KOO_PRIVATE_KEY: generateRsaKeyPair(3072).privateKeyPem,
    SECRET_KEYS: randomBytes(32).toString('base64'),
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    LOG_LEVEL: 'warn',
    // The whole load comes from one loopback address, far past any real client: the limits count
    // (their cost is part of what is measured) but are set where they never refuse.
    ...Object.fromEntries(['LOGIN_IP', 'LOGIN_TENANT', 'OIDC_AUTH_IP', 'OIDC_TOKEN_IP', 'ADMIN_FAILURES_IP', 'WEBHOOK_FAILURES_IP'].map((l) => [`RATE_LIMIT_${l}`, process.env.BENCH_RATE_LIMITS === '0' ? '0' : '900000000/1m'])),
    // No load balancer polls /readyz here: stopping skips the drain (stopChild allows 5 s).
    SHUTDOWN_DRAIN: '0s',
    ...extraEnv,
  };
  const child = spawn(process.execPath, ['dist/main.js'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/readyz`, child);
  return { url, env, ...(child.pid ? { pid: child.pid } : {}), stop: () => stopChild(child) };
}

/**
 * What most benches start first: a private redis-server and the Koa hello-world baseline; their
 * stoppers go on `stops`, which the bench runs last first.
 */
export async function startRedisAndHello(stops: Array<() => Promise<void>>): Promise<{ redisUrl: string; hello: Service }> {
  const redis = await startRedisServer();
  stops.push(() => stopRedisServer(redis));
  const hello = await startHelloKoa();
  stops.push(() => hello.stop());
  return { redisUrl: redis.url, hello };
}

export async function startHelloKoa(): Promise<Service> {
  const port = await freePort();
  const child = fork(new URL('./hello-koa.mjs', import.meta.url), { env: { PORT: String(port) }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url, child);
  return { url, env: {}, stop: () => stopChild(child) };
}

/**
 * The KooGallery simulator as `npm run sim` runs it (build/tools/simulator/main.js), in its own process so
 * its CPU is not charged to the load generator. It pushes nothing itself: the bench syncs.
 */
export async function startSimulator(opts: {
  port: number;
  appId: string;
  callbackUrl: string;
  /** Another entry point reading the same SIM_* settings (bench/sim-tenants.mjs: tenants from a file). */
  script?: string;
  extraEnv?: Record<string, string>;
}): Promise<Service> {
  const url = `http://127.0.0.1:${opts.port}`;
  const env: Record<string, string> = {
    SIM_PORT: String(opts.port),
    SIM_HOST: '127.0.0.1',
    SIM_BASE_URL: url,
    SIM_CALLBACK_URL: opts.callbackUrl,
    KOO_APP_ID: opts.appId,
    ...opts.extraEnv,
  };
  const child = spawn(process.execPath, [opts.script ?? 'build/tools/simulator/main.js'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`${url}/unified-login/`, child);
  return { url, env, stop: () => stopChild(child) };
}

/** The q-quantile (0–1) of unsorted samples, nearest-rank; 0 when there are none. */
export function percentile(samples: number[], q: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Requests completed. */
  total: number;
}

export async function measure(opts: autocannon.Options): Promise<Measured> {
  const result = await autocannon({ connections: BENCH.connections, duration: BENCH.durationS, ...opts });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors + result.timeouts, total: result.requests.total };
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; fields 14 and 15). */
const TICK_MS = 10; // USER_HZ is 100 on Linux
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** The middle value (the mean of the two middle ones for an even count); 0 when there are none. */
export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export interface BridgeWithSimulator {
  service: Service;
  simUrl: string;
  stop(): Promise<void>;
}

/**
 * The built bridge and the simulator, each knowing the other (the simulator's port is chosen
 * first), with the demo tenants pushed through the real signed sync interfaces.
 */
export async function startBridgeWithSimulator(redisUrl: string, extraEnv: Record<string, string> = {}): Promise<BridgeWithSimulator> {
  const simPort = await freePort();
  const simUrl = `http://127.0.0.1:${simPort}`;
  const service = await startService(redisUrl, {
    // The simulator's IdPs are http on loopback.
    KOO_ALLOW_INSECURE_IDP: '1',
    KOO_LOGIN_URL: `${simUrl}/unified-login/`,
    // Far longer than a run, so no session ends while it is measured.
    SESSION_IDLE_TIMEOUT: '12h',
    SESSION_ABSOLUTE_TIMEOUT: '12h',
    ...extraEnv,
  });
  const stops: Array<() => Promise<void>> = [() => service.stop()];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const appId = service.env.KOO_APP_ID!;
    const sim = await startSimulator({ port: simPort, appId, callbackUrl: `${service.url}/sso/callback` });
    stops.push(() => sim.stop());
    // What the simulator's syncTo sends (the same function), from here: the simulator runs elsewhere.
    await syncTenants(DEMO_TENANTS, (tenantId) => `${simUrl}/idp/${encodeURIComponent(tenantId)}`, {
      productionUrl: `${service.url}/produce`,
      accessKey: service.env.KOO_ACCESS_KEY!,
      publicKeyPem: publicKeyPem(loadPrivateKey(service.env.KOO_PRIVATE_KEY!)),
      appId,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { service, simUrl, stop };
}
