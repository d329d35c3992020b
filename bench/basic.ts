/**
 * bench:basic — the built service on a real Redis, each figure next to a bare Koa hello-world
 * measured in the same run:
 *  (a) the basic (instance lifecycle) interfaces at `POST /produce` under load, a mix of
 *      newInstance, queryInstance, refreshInstance and updateInstanceStatus (bench/basic-lifecycle.ts).
 *      Goal: p99 < 50 ms.
 *  (b) deprovisioning 500 users with live bridge and OpenID sessions while their app's back-channel
 *      logout endpoint hangs: authSync flag 3 of 500 users, tenantSync delete of a tenant of 500
 *      (bench/deprovision.ts). Goal: answer p99 < 1 s (KooGallery gives up after 5 s); every
 *      session 401 right after the answer; the logouts pending in the outbox.
 * Everything listens on 127.0.0.1 only.
 */
import { availableParallelism } from 'node:os';
import { ACTIVITIES, measureLifecycle } from './basic-lifecycle.js';
import { USERS_PER_TENANT } from './deprovision-setup.js';
import { DEPROVISION, measureDeprovisioning, type CallKind } from './deprovision.js';
import { BENCH, measure, percentile, round, startService, startRedisAndHello } from './support.js';

const stops: Array<() => Promise<void>> = [];
try {
  const { redisUrl, hello } = await startRedisAndHello(stops);
  const baseline = await measure({ url: hello.url });
  const ratio = (rps: number, digits = 3) => round(rps / baseline.rps, digits);

  // (a) on a bridge of its own, stopped before (b) starts.
  const service = await startService(redisUrl);
  let lifecycle;
  try {
    lifecycle = await measureLifecycle(service);
  } finally {
    await service.stop();
  }
  const { mix, perActivity, ok, refusals } = lifecycle;

  console.log(`\nbench:basic (a) — ${availableParallelism()} cores, ${BENCH.durationS} s, ${BENCH.connections} connections; each connection cycles newInstance → queryInstance → refreshInstance → updateInstanceStatus`);
  console.table({
    'koa hello-world (baseline)': { 'req/s': round(baseline.rps), 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, 'ratio to hello-world': 1 },
    'basic interfaces, the mix': { 'req/s': round(mix.rps), 'p50 ms': mix.p50, 'p99 ms': mix.p99, 'ratio to hello-world': ratio(mix.rps) },
    // Per activity, timed by the bench from each request's setup to its answer (autocannon times only the mix).
    ...Object.fromEntries(
      ACTIVITIES.map((a) => {
        const rps = perActivity[a].answered / BENCH.durationS;
        return [`  ${a}`, { 'req/s': round(rps), 'p50 ms': round(perActivity[a].p50, 1), 'p99 ms': round(perActivity[a].p99, 1), 'ratio to hello-world': ratio(rps, 4) }];
      }),
    ),
  });
  console.log(`basic calls per second: ${Math.round(mix.rps)}, ratio to hello-world ${ratio(mix.rps)}; p99 of the mix ${mix.p99} ms (goal < 50 ms)`);
  const refused = [...refusals.values()].reduce((a, b) => a + b, 0);
  console.log(`answers 000000: ${ok}, refused: ${refused}, errors/timeouts: ${mix.errors}`);
  for (const [reason, count] of refusals) console.error(`  refused ${count}×: ${reason}`);

  // (b)
  const dep = await measureDeprovisioning(redisUrl);
  console.log(
    `\nbench:basic (b) — ${dep.rounds} round(s), each: two fresh tenants of 500 users, every user with a bridge session, ${DEPROVISION.oidcUsers} per tenant with an OpenID session at an app whose back-channel logout hangs (${DEPROVISION.browsers} browsers signed them in, ${round(dep.signInS)} s in all)`,
  );
  console.table(
    dep.samples.map((s) => ({
      round: s.round,
      call: s.kind,
      resultCode: s.resultCode,
      'answer ms': round(s.answerMs),
      'sessions 401 after': `${s.sessionsChecked - s.notEnded} of ${s.sessionsChecked}`,
      'OpenID sessions': s.oidcSessions,
      'back-channel jobs enqueued': s.jobsEnqueued,
    })),
  );
  const byKind = new Map<CallKind, number[]>();
  for (const s of dep.samples) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s.answerMs]);
  const summary: Record<string, Record<string, number | string>> = {
    'koa hello-world (baseline)': { samples: '—', 'p50 ms': baseline.p50, 'p99 ms': baseline.p99, 'req/s or users/s': round(baseline.rps), 'ratio to hello-world': 1 },
  };
  for (const [kind, ms] of byKind) {
    const usersPerS = USERS_PER_TENANT / (percentile(ms, 0.5) / 1000);
    summary[kind] = { samples: ms.length, 'p50 ms': round(percentile(ms, 0.5)), 'p99 ms': round(percentile(ms, 0.99)), 'req/s or users/s': Math.round(usersPerS), 'ratio to hello-world': ratio(usersPerS, 4) };
  }
  console.table(summary);
  for (const [kind, ms] of byKind) console.log(`${kind}: answer p99 ${round(percentile(ms, 0.99))} ms over ${ms.length} sample(s) (goal < 1000 ms; KooGallery's limit 5000 ms)`);
  console.log(`outbox at the end: ${dep.backchannelPending} back-channel logout jobs pending (${dep.outboxPending} jobs in all); the hanging app held ${dep.hangingConnections} connections meanwhile`);
  const failed = [...dep.failures.values()].reduce((a, b) => a + b, 0);
  console.log(`deprovisioning calls: ${dep.samples.length}, failures: ${failed}`);
  for (const [reason, count] of dep.failures) console.error(`  failed ${count}×: ${reason}`);

  if (refused > 0 || mix.errors > 0 || mix.non2xx > 0 || ok === 0 || failed > 0 || dep.samples.length === 0) {
    console.error('bench:basic: some calls failed; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
