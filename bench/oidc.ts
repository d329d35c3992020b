/**
 * bench:oidc — the bridge's OpenID provider, built, on a real Redis, against the KooGallery
 * simulator in its own process, each figure next to oidc-provider's own GET /oidc/jwks measured
 * in the same run (the provider's floor: its middleware stack and no store):
 *  (a) the token endpoint (authorization_code with PKCE, a confidential client) and userinfo.
 *      Codes are single-use, so many are minted first by authorizations in signed-in browsers,
 *      then redeemed as fast as N workers can; only the redemption phase is timed.
 *  (b) complete OIDC logins: app → /oidc/auth → interaction → /sso/login → tenant IdP (SSO
 *      cookie) → /sso/callback → interaction → code → token. Goal (2 cores): ≥ 150 logins/s.
 * Every ID token is verified (signature, iss, aud, nonce, the tenant in sub) after the clock has stopped.
 * Everything listens on 127.0.0.1 only.
 */
import { availableParallelism } from 'node:os';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { DEMO_TENANTS } from '../tools/simulator/demo-data.js';
import { startRedisServer, stopRedisServer } from '../test/support/redis-server.js';
import { basicAuth, OidcBrowser, OidcFailed, redeem, type Code, type OidcTarget } from './oidc-browser.js';
import { startBridgeWithSimulator } from './oidc-setup.js';
import { BENCH, measure, percentile, round } from './support.js';

// Concurrent virtual browsers for the logins: each waits on eight round trips of its own and two
// of the bridge's to the IdP, so more than the cores are needed to keep them busy.
const BROWSERS = Number(process.env.BENCH_BROWSERS ?? 16);
// Enough codes for a redemption phase of a few seconds; all are redeemed within the 60 s a code lives.
const CODES = Number(process.env.BENCH_CODES ?? 500 * BENCH.durationS);
// What a typical web app asks for; with offline_access the bench adds prompt=consent, as it must.
const SCOPE = process.env.BENCH_SCOPE ?? 'openid profile email phone tenant';
const MAX_MINT_FAILURES = 100;
const TENANT = DEMO_TENANTS.find((t) => t.tenantId === 'acme')!;
// Only users the directory lets in: a disabled one (wang.wu) is refused by design.
const USERS = TENANT.users.filter((u) => u.enable !== false).map((u) => u.userName);

const failures = new Map<string, number>();
const failed = (phase: string, err: unknown) => {
  const reason = `${phase}: ${err instanceof OidcFailed ? err.message : `network: ${(err as Error).message}`}`;
  failures.set(reason, (failures.get(reason) ?? 0) + 1);
};

/** Runs `worker` in `n` concurrent copies; resolves with the elapsed seconds. */
async function concurrently(n: number, worker: (i: number) => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: n }, (_, i) => worker(i)));
  return (performance.now() - startedAt) / 1000;
}

interface Issued {
  idToken: string;
  nonce: string;
}

const stops: Array<() => Promise<void>> = [];
try {
  const redis = await startRedisServer();
  stops.push(() => stopRedisServer(redis));
  const setup = await startBridgeWithSimulator(redis.url);
  stops.push(() => setup.stop());
  const { service, client } = setup;
  const issuer = `${service.url}/oidc`;
  const target = (i: number): OidcTarget => ({ bridgeUrl: service.url, simUrl: setup.simUrl, tenantId: TENANT.tenantId, userName: USERS[i % USERS.length]!, ...client, scope: SCOPE });
  const authorization = basicAuth(client.clientId, client.clientSecret);
  const issued: Issued[] = [];

  // The baseline: oidc-provider serving its key set from memory.
  const jwks = await measure({ url: `${issuer}/jwks` });

  // (a) token endpoint. Each minting browser logs in once; from then on its provider session
  // answers every authorization with a code at once.
  const minters = Array.from({ length: BENCH.connections }, (_, i) => new OidcBrowser(target(i)));
  await Promise.all(minters.map((b) => b.signInAtIdp()));
  const codes: Code[] = [];
  let mintFailures = 0;
  const mintS = await concurrently(minters.length, async (i) => {
    while (codes.length < CODES) {
      try {
        codes.push(await minters[i]!.authorize());
      } catch (err) {
        failed('minting a code', err);
        // A provider that refuses every authorization would keep this loop going for ever.
        if (++mintFailures >= MAX_MINT_FAILURES) return;
      }
    }
  });
  const redemptionMs: number[] = [];
  let accessToken = '';
  let next = 0;
  const redeemS = await concurrently(BENCH.connections, async () => {
    for (let code = codes[next++]; code; code = codes[next++]) {
      const t0 = performance.now();
      try {
        const tokens = await redeem(target(0), authorization, code);
        redemptionMs.push(performance.now() - t0);
        issued.push({ idToken: tokens.id_token, nonce: code.nonce });
        accessToken = tokens.access_token;
      } catch (err) {
        failed('redeeming a code', err);
      }
    }
  });
  const redemptionsPerS = redemptionMs.length / redeemS;

  // userinfo, with one of the access tokens just issued.
  const userinfo = accessToken ? await measure({ url: `${issuer}/me`, headers: { authorization: `Bearer ${accessToken}` } }) : null;

  // (b) complete logins. Each browser signs in through the IdP's form once first (not counted).
  const browsers = Array.from({ length: BROWSERS }, (_, i) => new OidcBrowser(target(i)));
  await Promise.all(browsers.map((b) => b.signInAtIdp()));
  const loginMs: number[] = [];
  let hops = 0;
  const deadline = performance.now() + BENCH.durationS * 1000;
  const loginS = await concurrently(BROWSERS, async (i) => {
    const browser = browsers[i]!;
    while (performance.now() < deadline) {
      browser.forgetBridge();
      const t0 = performance.now();
      try {
        const code = await browser.authorize();
        const tokens = await redeem(target(i), authorization, code);
        loginMs.push(performance.now() - t0);
        hops += browser.lastHops;
        issued.push({ idToken: tokens.id_token, nonce: code.nonce });
      } catch (err) {
        failed('login', err);
      }
    }
  });
  const loginsPerS = loginMs.length / loginS;

  // An ID token nobody can verify is no login: every one of the run is checked, off the clock.
  const keySet = createLocalJWKSet((await (await fetch(`${issuer}/jwks`)).json()) as JSONWebKeySet);
  let invalid = 0;
  for (const { idToken, nonce } of issued) {
    try {
      const { payload } = await jwtVerify(idToken, keySet, { issuer, audience: client.clientId });
      if (payload.nonce !== nonce || !payload.sub?.startsWith(`${TENANT.tenantId}.`)) invalid += 1;
    } catch {
      invalid += 1;
    }
  }

  const ratio = (rps: number) => round(rps / jwks.rps, 3);
  const failedCount = [...failures.values()].reduce((a, b) => a + b, 0);
  console.log(
    `\nbench:oidc — ${availableParallelism()} cores, ${BENCH.durationS} s per timed measurement, ${BENCH.connections} connections (autocannon, minting and redemption workers), ${BROWSERS} virtual browsers (logins), scope "${SCOPE}"`,
  );
  console.table({
    'GET /oidc/jwks (baseline)': { 'per second': round(jwks.rps), 'p50 ms': jwks.p50, 'p99 ms': jwks.p99, 'ratio to jwks': 1 },
    'GET /oidc/me (userinfo)': userinfo ? { 'per second': round(userinfo.rps), 'p50 ms': userinfo.p50, 'p99 ms': userinfo.p99, 'ratio to jwks': ratio(userinfo.rps) } : {},
    'POST /oidc/token (code + PKCE)': { 'per second': round(redemptionsPerS), 'p50 ms': round(percentile(redemptionMs, 0.5), 2), 'p99 ms': round(percentile(redemptionMs, 0.99), 2), 'ratio to jwks': ratio(redemptionsPerS) },
    'complete OIDC login (logins)': { 'per second': round(loginsPerS), 'p50 ms': round(percentile(loginMs, 0.5), 2), 'p99 ms': round(percentile(loginMs, 0.99), 2), 'ratio to jwks': round(loginsPerS / jwks.rps, 4) },
  });
  console.log(`token endpoint: ${Math.round(redemptionsPerS)} redemptions/s (${redemptionMs.length} codes minted in ${round(mintS)} s, redeemed in ${round(redeemS, 2)} s); ratio to jwks ${ratio(redemptionsPerS)}`);
  if (userinfo) console.log(`userinfo: ${Math.round(userinfo.rps)} req/s; ratio to jwks ${ratio(userinfo.rps)}`);
  const hopsPerLogin = loginMs.length ? round(hops / loginMs.length, 1) : 0;
  console.log(`complete OIDC logins per second: ${Math.round(loginsPerS)} (goal ≥ 150 on 2 cores); each is ${hopsPerLogin} browser requests, 1 token request and 2 back-channel IdP calls`);
  console.log(`logins per second as a ratio to jwks requests per second: ${round(loginsPerS / jwks.rps, 4)}`);
  console.log(
    `redemptions: ${redemptionMs.length}, logins: ${loginMs.length}, failed: ${failedCount}; ID tokens verified: ${issued.length - invalid} of ${issued.length}; jwks non-2xx/errors: ${jwks.non2xx}/${jwks.errors}; userinfo non-2xx/errors: ${userinfo ? `${userinfo.non2xx}/${userinfo.errors}` : 'not measured'}`,
  );
  for (const [reason, count] of failures) console.error(`  failed ${count}×: ${reason}`);
  const autocannonFailed = jwks.non2xx + jwks.errors + (userinfo ? userinfo.non2xx + userinfo.errors : 1);
  if (failedCount > 0 || invalid > 0 || autocannonFailed > 0 || loginMs.length === 0 || codes.length < CODES) {
    console.error('bench:oidc: some logins, redemptions or requests failed; the figures above are not valid');
    process.exitCode = 1;
  }
} finally {
  for (const stop of stops.reverse()) await stop();
}
