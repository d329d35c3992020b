/**
 * bench:basic (b) — deprovisioning 500 users who hold live sessions, while the one app they signed
 * in to through OpenID hangs on its back-channel logout endpoint. Each round uses two fresh
 * tenants of 500 users (every user with a bridge session, the first BENCH_OIDC_USERS with an
 * OpenID provider session too) and times KooGallery's two ways of taking them away:
 *   - authSync flag 3 (cancel authorization) naming all 500 users of the first tenant, one call;
 *   - tenantSync flag 0 (delete) of the second tenant.
 * Right after each answer every session of those users must answer 401 at /api/session, and the
 * outbox must hold one pending back-channel logout job per OpenID session (the app never answers:
 * the jobs wait, durably, for their retries).
 */
import { simInstanceId, kooTimeStamp } from '../tools/simulator/sync.js';
import { createWebhookSender } from '../tools/simulator/webhook-sender.js';
import type { SimTenant } from '../tools/simulator/types.js';
import { benchTenant, sessionStatuses, signInEveryone, startDeprovisionSetup, USERS_PER_TENANT, type SignedIn } from './deprovision-setup.js';

export const DEPROVISION = {
  /** Rounds (samples of each call); also bounded by the time budget. */
  rounds: Number(process.env.BENCH_ROUNDS ?? 5),
  /** Users of each tenant who also sign in to the hanging app through OpenID. */
  oidcUsers: Math.min(USERS_PER_TENANT, Number(process.env.BENCH_OIDC_USERS ?? 500)),
  /** No round starts once this many seconds have passed since the first. */
  budgetS: Number(process.env.BENCH_DEPROVISION_BUDGET ?? 300),
  browsers: Number(process.env.BENCH_BROWSERS ?? 16),
};

export type CallKind = 'authSync flag 3, 500 users' | 'tenantSync flag 0 (tenant of 500 users)';

export interface CallSample {
  kind: CallKind;
  round: number;
  answerMs: number;
  resultCode: string;
  /** Sessions of the deprovisioned users checked right after the answer, and how many were not 401. */
  sessionsChecked: number;
  notEnded: number;
  oidcSessions: number;
  /** Back-channel jobs the call added to the outbox. */
  jobsEnqueued: number;
}

export interface DeprovisionFigures {
  samples: CallSample[];
  failures: Map<string, number>;
  signInS: number;
  /** At the end: back-channel jobs still pending, every pending job, connections the hanging app held. */
  backchannelPending: number;
  outboxPending: number;
  hangingConnections: number;
  rounds: number;
}

const roundTenants = (round: number): [SimTenant, SimTenant] => [benchTenant(`depro-users-${round}`), benchTenant(`depro-tenant-${round}`)];

export async function measureDeprovisioning(redisUrl: string): Promise<DeprovisionFigures> {
  const plan = Array.from({ length: Math.max(0, DEPROVISION.rounds) }, (_, r) => roundTenants(r + 1));
  const setup = await startDeprovisionSetup(redisUrl, plan.flat());
  const failures = new Map<string, number>();
  const fail = (reason: string, n = 1) => failures.set(reason, (failures.get(reason) ?? 0) + n);
  const samples: CallSample[] = [];
  let signInMs = 0;
  try {
    const { service } = setup;
    const sender = createWebhookSender({ productionUrl: `${service.url}/produce`, accessKey: service.env.KOO_ACCESS_KEY! });
    const deadline = performance.now() + DEPROVISION.budgetS * 1000;
    for (const [r, [users, whole]] of plan.entries()) {
      if (performance.now() > deadline) break;
      const signedIn: SignedIn[] = [];
      for (const tenant of [users, whole]) {
        await setup.sync(tenant);
        const t0 = performance.now();
        const s = await signInEveryone(setup, tenant, DEPROVISION.oidcUsers, DEPROVISION.browsers);
        signInMs += performance.now() - t0;
        for (const f of s.failures) fail(f);
        // Before: every session is live, so a 401 after the call is the call's doing.
        const before = await sessionStatuses(service.url, s.sids, DEPROVISION.browsers);
        const live = before.get(200) ?? 0;
        if (live !== s.sids.length) fail(`sessions not live before deprovisioning (statuses ${JSON.stringify([...before])})`, s.sids.length - live);
        signedIn.push(s);
      }

      const stamp = kooTimeStamp(Date.now());
      const calls: Array<[CallKind, SimTenant, Record<string, unknown>]> = [
        [
          'authSync flag 3, 500 users',
          users,
          { appId: service.env.KOO_APP_ID, currentSyncTime: stamp, flag: 3, instanceId: simInstanceId(users.tenantId), tenantId: users.tenantId, testFlag: 0, timeStamp: stamp, userList: users.users.map((u) => ({ userName: u.userName })) },
        ],
        ['tenantSync flag 0 (tenant of 500 users)', whole, { flag: 0, instanceId: simInstanceId(whole.tenantId), tenantId: whole.tenantId, testFlag: 0, timeStamp: stamp }],
      ];
      for (const [i, [kind, tenant, body]] of calls.entries()) {
        const s = signedIn[i]!;
        const jobsBefore = (await setup.outboxJobs()).backchannel;
        const t0 = performance.now();
        const answer = await sender.send(kind.startsWith('authSync') ? 'authSync' : 'tenantSync', body);
        const answerMs = performance.now() - t0;
        const after = await sessionStatuses(service.url, s.sids, DEPROVISION.browsers);
        const jobsEnqueued = (await setup.outboxJobs()).backchannel - jobsBefore;
        const notEnded = s.sids.length - (after.get(401) ?? 0);
        samples.push({ kind, round: r + 1, answerMs, resultCode: answer.resultCode, sessionsChecked: s.sids.length, notEnded, oidcSessions: s.oidcSessions, jobsEnqueued });
        if (answer.resultCode !== '000000') fail(`${kind} of ${tenant.tenantId} answered ${answer.resultCode}: ${answer.resultMsg}`);
        if (notEnded > 0) fail(`${kind}: sessions still answered after the answer (statuses ${JSON.stringify([...after])})`, notEnded);
        if (jobsEnqueued !== s.oidcSessions) fail(`${kind}: ${jobsEnqueued} back-channel jobs for ${s.oidcSessions} OpenID sessions`);
      }
    }
    const end = await setup.outboxJobs();
    return {
      samples,
      failures,
      signInS: signInMs / 1000,
      backchannelPending: end.backchannel,
      outboxPending: end.pending,
      hangingConnections: setup.hanging.accepted(),
      rounds: samples.length / 2,
    };
  } finally {
    await setup.stop();
  }
}

