/**
 * bench:cas — CAS service-ticket validation on the built service and a real Redis, next to a bare
 * Koa hello-world measured in the same run. Goal: ≥ 0.3 of hello-world's requests per second.
 *
 * A ticket is good for one validation, so they are issued first (GET /cas/login with a session
 * obtained by a real login through the simulator, itself measured as tickets issued per second),
 * then each is validated once at /cas/p3/serviceValidate by autocannon — every answer checked to be
 * an authenticationSuccess. Every validation is one Redis round trip (GETDEL of the ticket), the
 * session coming from the in-process cache as for /auth/check. Everything listens on 127.0.0.1 only.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BENCH, measure, round, startBridgeWithSimulator, startRedisAndHello } from './support.js';
import { VirtualBrowser } from './virtual-browser.js';

// Tickets to validate: at ~10,000 validations/s a few seconds of load (each ticket is used once).
const TICKETS = Number(process.env.BENCH_CAS_TICKETS ?? 40_000);
// Concurrent issuers: keep both cores busy during issuance.
const ISSUERS = Number(process.env.BENCH_BROWSERS ?? 16);
const SERVICE = 'http://127.0.0.1:1/app/page';

const stops: Array<() => Promise<void>> = [];
try {
  const { redisUrl, hello } = await startRedisAndHello(stops);
  const servicesFile = join(mkdtempSync(join(tmpdir(), 'kb-bench-cas-')), 'cas-services.json');
  writeFileSync(servicesFile, JSON.stringify([{ id: 'bench-app', service_prefix: 'http://127.0.0.1:1/app/' }]));
  // Tickets live their longest (5 min): issuing all of them must not outlast the first ones.
  const { service, stop } = await startBridgeWithSimulator(redisUrl, { CAS_SERVICES_FILE: servicesFile, CAS_TICKET_TTL: '5m' });
  stops.push(stop);

  const sid = await new VirtualBrowser({ bridgeUrl: service.url, tenantId: 'acme', userName: 'zhang.san', landingUrl: `${service.url}/sso/me`, sessionCookie: 'koobridge' }).login();
  const loginUrl = `${service.url}/cas/login?service=${encodeURIComponent(SERVICE)}`;

  const baseline = await measure({ url: hello.url });
  // A reference, not a goal: /readyz is the bridge's middleware plus one Redis round trip (PING).
  const ready = await measure({ url: `${service.url}/readyz` });

  // Issue the tickets.
  const tickets: string[] = [];
  const issueStarted = performance.now();
  let issueFailures = 0;
  let started = 0;
  await Promise.all(
    Array.from({ length: ISSUERS }, async () => {
      while (started++ < TICKETS) {
        const res = await fetch(loginUrl, { redirect: 'manual', headers: { cookie: `koobridge=${sid}` } });
        const ticket = res.headers.get('location')?.split('ticket=')[1];
        if (res.status === 302 && ticket) tickets.push(ticket);
        else issueFailures += 1;
        await res.arrayBuffer();
      }
    }),
  );
  const issuedPerS = tickets.length / ((performance.now() - issueStarted) / 1000);

  // Validate each once; the first WARM_UP of them (not counted) let the JIT settle, as the
  // hello-world's first second does over its longer run.
  const WARM_UP = Math.min(2_000, Math.floor(tickets.length / 5));
  let next = 0;
  let succeeded = 0;
  const path = (ticket: string) => `/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}`;
  await autocannon({ url: service.url, connections: BENCH.connections, amount: WARM_UP, requests: [{ setupRequest: (req) => ({ ...req, path: path(tickets[next++]!) }) }] });
  // Timed here: autocannon's own `duration` is in whole seconds, too coarse for a 3-second run.
  const validationStarted = performance.now();
  const result = await autocannon({
    url: service.url,
    connections: BENCH.connections,
    amount: tickets.length - WARM_UP,
    requests: [
      {
        setupRequest: (req) => ({ ...req, path: path(tickets[next++]!) }),
        onResponse: (status, body) => {
          if (status === 200 && body.includes('<cas:authenticationSuccess>')) succeeded += 1;
        },
      },
    ],
  });
  const validatedPerS = result.requests.total / ((performance.now() - validationStarted) / 1000);
  const validated = { rps: validatedPerS, p50: result.latency.p50, p99: result.latency.p99 };

  console.log(`\nbench:cas — ${availableParallelism()} cores, hello-world ${BENCH.durationS} s, ${BENCH.connections} connections (autocannon), ${tickets.length} tickets issued by ${ISSUERS} concurrent clients, each validated once`);
  console.table({
    'koa hello-world (baseline)': { 'per second': round(baseline.rps), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, 'ratio to hello-world': 1 },
    'GET /readyz (reference: 1 Redis PING)': { 'per second': round(ready.rps), 'p50 ms': ready.p50, 'p99 ms': ready.p99, 'ratio to hello-world': round(ready.rps / baseline.rps, 3) },
    'GET /cas/p3/serviceValidate (validations)': { 'per second': round(validated.rps), 'p50 ms': validated.p50, 'p99 ms': validated.p99, 'ratio to hello-world': round(validated.rps / baseline.rps, 3) },
    'GET /cas/login with a session (tickets issued)': { 'per second': round(issuedPerS), 'p50 ms': '—', 'p99 ms': '—', 'ratio to hello-world': round(issuedPerS / baseline.rps, 3) },
  });
  console.log(`ticket validations per second as a ratio to hello-world: ${round(validated.rps / baseline.rps, 3)} (goal ≥ 0.3; one Redis round trip alone, /readyz, is ${round(ready.rps / baseline.rps, 3)})`);
  console.log(`validations: ${result.requests.total}, succeeded: ${succeeded}, non-2xx: ${result.non2xx}, errors: ${result.errors + result.timeouts}; issue failures: ${issueFailures}`);
  if (succeeded !== tickets.length - WARM_UP || result.non2xx > 0 || result.errors + result.timeouts > 0 || issueFailures > 0 || tickets.length === 0) {
    console.error('bench:cas: some validations or issues failed; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
