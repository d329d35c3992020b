/**
 * bench:cas — CAS service-ticket validation on the built service and a real Redis, next to a bare
 * Koa hello-world measured in the same run. Goal: ≥ 0.3 of hello-world's requests per second.
 *
 * A ticket is good for one validation, so each round issues its tickets first (GET /cas/login with
 * a session obtained by a real login through the simulator; issuance is measured too), then
 * measures hello-world, then validates each ticket once at /cas/p3/serviceValidate with autocannon
 * at the same number of connections — every answer checked to be an authenticationSuccess. A round
 * gives one ratio; the bench reports the median of its rounds, because on this shared 2-core
 * machine one ratio alone swings by ±15 %. Each concurrency is measured (BENCH_CAS_CONNECTIONS,
 * default "8,32": the benches' usual 8, and 32 for many apps validating at once).
 *
 * Every validation is one Redis round trip (GETDEL of the ticket), the session coming from the
 * in-process cache as for /auth/check. Next to the throughput, the bridge's own CPU time per
 * validation (utime + stime from /proc) — the figure the other processes on the cores move least.
 * Each round also measures a floor (bench/cas-floor.mjs): a bare Koa app doing only the work a
 * validation cannot skip — the query checked, the ticket hashed, one GETDEL, the record read,
 * the XML — through Koa's ordinary ctx.query and ctx.body, on the same Redis, driven the same way:
 * the difference between the two is what the bridge's own design adds (or, where the bridge is
 * cheaper, saves). Everything listens on 127.0.0.1 only.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freePort } from '../test/support/redis-server.js';
import { cpuMs, measure, median, round, startBridgeWithSimulator, startRedisAndHello } from './support.js';
import { VirtualBrowser } from './virtual-browser.js';

// Tickets per round: at ~15,000 validations/s a two-second validation run.
const TICKETS = Number(process.env.BENCH_CAS_TICKETS ?? 30_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = (process.env.BENCH_CAS_CONNECTIONS ?? '8,32').split(',').map(Number);
// The hello-world run of each round, in seconds (BENCH_DURATION is for the longer benches).
const HELLO_S = Number(process.env.BENCH_CAS_HELLO_S ?? 3);
// Concurrent issuers: keep both cores busy during issuance.
const ISSUERS = Number(process.env.BENCH_BROWSERS ?? 16);
// The first of each round's validations (not counted) let the JIT settle after issuance.
const WARM_UP = Math.min(2_000, Math.floor(TICKETS / 5));
const SERVICE = 'http://127.0.0.1:1/app/page';

interface Round {
  hello: number;
  validations: number;
  p99: number;
  /** Bridge CPU µs per validation. */
  cpuUs: number;
  issued: number;
  floor: number;
  floorCpuUs: number;
}

interface Target {
  url: string;
  pid: number;
}

const stops: Array<() => Promise<void>> = [];
let failures = 0;
try {
  const { redisUrl, hello } = await startRedisAndHello(stops);
  const servicesFile = join(mkdtempSync(join(tmpdir(), 'kb-bench-cas-')), 'cas-services.json');
  writeFileSync(servicesFile, JSON.stringify([{ id: 'bench-app', service_prefix: 'http://127.0.0.1:1/app/' }]));
  // Tickets live their longest (5 min): issuing a round's tickets must not outlast its first ones.
  const { service, stop } = await startBridgeWithSimulator(redisUrl, { CAS_SERVICES_FILE: servicesFile, CAS_TICKET_TTL: '5m' });
  stops.push(stop);
  const bridge: Target = { url: service.url, pid: service.pid! };
  const tmp = mkdtempSync(join(tmpdir(), 'kb-bench-cas-floor-'));

  const sid = await new VirtualBrowser({ bridgeUrl: service.url, tenantId: 'acme', userName: 'zhang.san', landingUrl: `${service.url}/sso/me`, sessionCookie: 'koobridge' }).login();
  const loginUrl = `${service.url}/cas/login?service=${encodeURIComponent(SERVICE)}`;

  async function issue(count: number): Promise<{ tickets: string[]; perS: number }> {
    const tickets: string[] = [];
    const started = performance.now();
    let begun = 0;
    await Promise.all(
      Array.from({ length: ISSUERS }, async () => {
        while (begun++ < count) {
          const res = await fetch(loginUrl, { redirect: 'manual', headers: { cookie: `koobridge=${sid}` } });
          const ticket = res.headers.get('location')?.split('ticket=')[1];
          if (res.status === 302 && ticket) tickets.push(ticket);
          else failures += 1;
          await res.arrayBuffer();
        }
      }),
    );
    return { tickets, perS: tickets.length / ((performance.now() - started) / 1000) };
  }

  const path = (ticket: string) => `/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}`;

  /** Validates each ticket once; the rate is timed to the last answer (with `amount`, autocannon notices it is done only at its next one-second tick). */
  async function validate(target: Target, tickets: string[], connections: number): Promise<{ perS: number; p99: number; cpuUs: number }> {
    let next = 0;
    await autocannon({ url: target.url, connections, amount: WARM_UP, requests: [{ setupRequest: (req) => ({ ...req, path: path(tickets[next++]!) }) }] });
    let succeeded = 0;
    const cpu0 = cpuMs(target.pid);
    const started = performance.now();
    let lastAnswerAt = started;
    const result = await autocannon({
      url: target.url,
      connections,
      amount: tickets.length - WARM_UP,
      requests: [
        {
          setupRequest: (req) => ({ ...req, path: path(tickets[next++]!) }),
          onResponse: (status, body) => {
            lastAnswerAt = performance.now();
            if (status === 200 && body.includes('<cas:authenticationSuccess>')) succeeded += 1;
          },
        },
      ],
    });
    const cpuUs = ((cpuMs(target.pid) - cpu0) * 1000) / Math.max(1, result.requests.total);
    failures += tickets.length - WARM_UP - succeeded + result.non2xx + result.errors + result.timeouts;
    return { perS: result.requests.total / ((lastAnswerAt - started) / 1000), p99: result.latency.p99, cpuUs };
  }

  /** The floor app with `count` fresh tickets of its own; validated like the bridge's, then stopped. */
  async function validateFloor(count: number, connections: number): Promise<{ perS: number; cpuUs: number }> {
    const port = await freePort();
    const out = join(tmp, 'tickets.json');
    const child = fork(new URL('./cas-floor.mjs', import.meta.url), { env: { PATH: process.env.PATH ?? '', PORT: String(port), REDIS_URL: redisUrl, N: String(count), OUT: out, SERVICE }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      await once(child, 'message');
      const v = await validate({ url: `http://127.0.0.1:${port}`, pid: child.pid! }, JSON.parse(readFileSync(out, 'utf8')) as string[], connections);
      return { perS: v.perS, cpuUs: v.cpuUs };
    } finally {
      child.kill();
    }
  }

  console.log(`\nbench:cas — ${availableParallelism()} cores; per round: ${TICKETS} tickets issued by ${ISSUERS} concurrent clients, hello-world ${HELLO_S} s, then each ticket validated once (the first ${WARM_UP} a warm-up); ${ROUNDS} rounds per concurrency`);
  const summary: Record<string, Record<string, number | string>> = {};
  for (const connections of CONNECTIONS) {
    // A reference, not a goal: /readyz is the bridge's middleware plus one Redis round trip (PING).
    const ready = await measure({ url: `${bridge.url}/readyz`, connections, duration: HELLO_S });
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const { tickets, perS: issued } = await issue(TICKETS);
      const baseline = await measure({ url: hello.url, connections, duration: HELLO_S });
      const v = await validate(bridge, tickets, connections);
      const floor = await validateFloor(TICKETS, connections);
      rounds.push({ hello: baseline.rps, validations: v.perS, p99: v.p99, cpuUs: v.cpuUs, issued, floor: floor.perS, floorCpuUs: floor.cpuUs });
    }
    const ratios = rounds.map((r) => r.validations / r.hello);
    console.log(`\n${connections} connections`);
    console.table(
      Object.fromEntries(
        rounds.map((r, i) => [
          `round ${i + 1}`,
          { 'hello-world /s': round(r.hello), 'validations /s': round(r.validations), 'p99 ms': r.p99, 'bridge CPU µs per validation': round(r.cpuUs), ratio: round(ratios[i]!, 3), 'floor /s': round(r.floor), 'floor CPU µs': round(r.floorCpuUs), 'floor ratio': round(r.floor / r.hello, 3), 'tickets issued /s': round(r.issued) },
        ]),
      ),
    );
    summary[`${connections} connections`] = {
      'median ratio (goal ≥ 0.3)': round(median(ratios), 3),
      'range of ratios': `${round(Math.min(...ratios), 3)}–${round(Math.max(...ratios), 3)}`,
      'median validations /s': round(median(rounds.map((r) => r.validations))),
      'median bridge CPU µs per validation': round(median(rounds.map((r) => r.cpuUs))),
      'median floor ratio': round(median(rounds.map((r) => r.floor / r.hello)), 3),
      'median floor CPU µs': round(median(rounds.map((r) => r.floorCpuUs))),
      '/readyz ratio (1 PING; last hello-world)': round(ready.rps / rounds.at(-1)!.hello, 3),
    };
  }
  console.log('\nticket validations per second as a ratio to hello-world, median of the rounds:');
  console.table(summary);
  if (failures > 0) {
    console.error(`bench:cas: ${failures} validations or issues failed; the figures above are not valid`);
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
