/**
 * What bench:basic (b) runs against: the built bridge with one OpenID client whose back-channel
 * logout endpoint hangs (bench/hanging-app.ts), the simulator in its own process serving made-up
 * tenants of 500 users each (bench/sim-tenants.mjs), and the helpers that give those users live
 * sessions and look at them: bridge logins, OpenID logins, /api/session, the outbox's jobs.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { loadPrivateKey, publicKeyPem } from '../src/koogallery/rsa-keys.js';
import { BACKCHANNEL_LOGOUT_JOB } from '../src/oidc/backchannel-job.js';
import { freePort } from '../test/support/redis-server.js';
import { syncTenants } from '../tools/simulator/sync.js';
import type { SimTenant } from '../tools/simulator/types.js';
import { startHangingApp, type HangingApp } from './hanging-app.js';
import { OidcBrowser, OidcFailed, type OidcTarget } from './oidc-browser.js';
import type { BenchClient } from './oidc-setup.js';
import { startService, startSimulator, type Service } from './support.js';
import { LoginFailed, VirtualBrowser } from './virtual-browser.js';

/** KooGallery's cap per authSync call: one call deprovisions them all. */
export const USERS_PER_TENANT = 500;

export function benchTenant(tenantId: string): SimTenant {
  return {
    tenantId,
    tenantCode: tenantId,
    name: `Deprovisioning Bench ${tenantId}`,
    clientId: `${tenantId}-client`,
    clientSecret: randomBytes(24).toString('base64url'),
    users: Array.from({ length: USERS_PER_TENANT }, (_, i) => ({ userName: `user.${i}`, name: `Bench User ${i}`, role: i % 50 === 0 ? 'admin' : 'user', orgCode: `org-${i % 20}` })),
  };
}

export interface DeprovisionSetup {
  service: Service;
  simUrl: string;
  client: BenchClient;
  hanging: HangingApp;
  /** Pushes a tenant as KooGallery does when it is bought and bound: newInstance, tenantSync, applicationSync, authSync, allOrgSync. */
  sync(tenant: SimTenant): Promise<void>;
  /** Back-channel logout jobs in the outbox (waiting, retrying or running), and every pending job. */
  outboxJobs(): Promise<{ backchannel: number; pending: number }>;
  stop(): Promise<void>;
}

export async function startDeprovisionSetup(redisUrl: string, tenants: SimTenant[]): Promise<DeprovisionSetup> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const hanging = await startHangingApp();
    stops.push(() => hanging.close());
    const dir = mkdtempSync(join(tmpdir(), 'koobridge-bench-basic-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const client: BenchClient = { clientId: 'bench-hanging-app', clientSecret: randomBytes(32).toString('base64url'), redirectUri: 'http://127.0.0.1:9/callback' };
    const clientsFile = join(dir, 'clients.json');
    writeFileSync(
      clientsFile,
      JSON.stringify([
        {
          client_id: client.clientId,
          client_secret: client.clientSecret,
          token_endpoint_auth_method: 'client_secret_basic',
          grant_types: ['authorization_code'],
          redirect_uris: [client.redirectUri],
          backchannel_logout_uri: hanging.url,
          backchannel_logout_session_required: true,
          first_party: true,
        },
      ]),
      { mode: 0o600 },
    );
    const tenantsFile = join(dir, 'tenants.json');
    writeFileSync(tenantsFile, JSON.stringify(tenants), { mode: 0o600 });

    const simPort = await freePort();
    const simUrl = `http://127.0.0.1:${simPort}`;
    const service = await startService(redisUrl, {
      KOO_ALLOW_INSECURE_IDP: '1', // the simulator's IdPs are http on loopback
      KOO_LOGIN_URL: `${simUrl}/unified-login/`,
      // Far longer than a run, so no session ends on its own while it is measured.
      SESSION_IDLE_TIMEOUT: '12h',
      SESSION_ABSOLUTE_TIMEOUT: '12h',
      OIDC_CLIENTS_FILE: clientsFile,
    });
    stops.push(() => service.stop());
    const appId = service.env.KOO_APP_ID!;
    const sim = await startSimulator({ port: simPort, appId, callbackUrl: `${service.url}/sso/callback`, script: 'bench/sim-tenants.mjs', extraEnv: { SIM_TENANTS_FILE: tenantsFile } });
    stops.push(() => sim.stop());
    const redis = new Redis(redisUrl);
    stops.push(async () => void redis.disconnect());
    const prefix = service.env.REDIS_KEY_PREFIX!;
    const target = { productionUrl: `${service.url}/produce`, accessKey: service.env.KOO_ACCESS_KEY!, publicKeyPem: publicKeyPem(loadPrivateKey(service.env.KOO_PRIVATE_KEY!)), appId };

    return {
      service,
      simUrl,
      client,
      hanging,
      sync: (tenant) => syncTenants([tenant], (tenantId) => `${simUrl}/idp/${encodeURIComponent(tenantId)}`, target),
      async outboxJobs() {
        const jobs = await redis.hvals(`${prefix}{outbox}:jobs`);
        const backchannel = jobs.filter((j) => (JSON.parse(j) as { kind?: string }).kind === BACKCHANNEL_LOGOUT_JOB).length;
        return { backchannel, pending: await redis.zcard(`${prefix}{outbox}:schedule`) };
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs `worker` over `items` with `n` in flight at most. */
export async function pool<T>(items: T[], n: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    for (let i = next++; i < items.length; i = next++) await worker(items[i]!);
  }));
}

export interface SignedIn {
  /** Bridge session ids, one per user that signed in. */
  sids: string[];
  /** Users who also hold an OpenID provider session with the hanging app's client. */
  oidcSessions: number;
  failures: string[];
}

/**
 * Gives every user of the tenant a bridge session (a complete login through the simulator's IdP
 * form) and the first `oidcUsers` an OpenID provider session with the bench client as well
 * (app → /oidc/auth → KooGallery login → code; that login opens a second bridge session).
 */
export async function signInEveryone(setup: DeprovisionSetup, tenant: SimTenant, oidcUsers: number, browsers: number): Promise<SignedIn> {
  const { service, simUrl, client } = setup;
  const out: SignedIn = { sids: [], oidcSessions: 0, failures: [] };
  const users = tenant.users.map((u, i) => ({ userName: u.userName, oidc: i < oidcUsers }));
  await pool(users, browsers, async ({ userName, oidc }) => {
    try {
      if (oidc) {
        const target: OidcTarget = { bridgeUrl: service.url, simUrl, tenantId: tenant.tenantId, userName, ...client, scope: 'openid profile' };
        const browser = new OidcBrowser(target);
        out.sids.push(await browser.signInAtIdp());
        await browser.authorize();
        out.oidcSessions += 1;
      } else {
        const browser = new VirtualBrowser({ bridgeUrl: service.url, tenantId: tenant.tenantId, userName, landingUrl: `${service.url}/sso/me`, sessionCookie: 'koobridge' });
        out.sids.push(await browser.login());
      }
    } catch (err) {
      const known = err instanceof LoginFailed || err instanceof OidcFailed;
      out.failures.push(`${oidc ? 'OpenID login' : 'login'}: ${known ? (err as Error).message : `network: ${(err as Error).message}`}`);
    }
  });
  return out;
}

/** How many of the sessions /api/session answers with each status. */
export async function sessionStatuses(bridgeUrl: string, sids: string[], browsers: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  await pool(sids, browsers, async (sid) => {
    const res = await fetch(`${bridgeUrl}/api/session`, { headers: { cookie: `koobridge=${sid}` } });
    await res.arrayBuffer();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  });
  return statuses;
}
