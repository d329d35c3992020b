/**
 * A listening simulator for the simulator's own tests, plus the few HTTP moves a browser or the
 * bridge would make (form posts, cookies, manual redirects), all over real HTTP with fetch.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_TENANTS } from '../../../tools/simulator/demo-data.js';
import { createSimulator } from '../../../tools/simulator/simulator.js';
import type { Simulator, SimulatorOptions } from '../../../tools/simulator/types.js';

export const APP = 'demo-app';
export const CALLBACK = 'http://bridge.test/sso/callback';
export const ACME = DEMO_TENANTS[0]!;
export const GLOBEX = DEMO_TENANTS[1]!;

/** A clock tests move by hand. */
export function manualClock(start = Date.UTC(2026, 10, 21, 2, 0, 0)) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

export interface RunningSim {
  sim: Simulator;
  server: Server;
  url: string;
  idp(tenantId: string): string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The simulator on a free port; its baseUrl is that port, so domainName() is reachable. */
export async function startSim(over: Partial<SimulatorOptions> = {}): Promise<RunningSim> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sim = createSimulator({ baseUrl: url, tenants: DEMO_TENANTS, appId: APP, callbackUrl: CALLBACK, ...over });
  const server = sim.app.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return {
    sim,
    server,
    url,
    idp: (tenantId) => sim.domainName(tenantId),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

export const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers });

export const postForm = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/** `name=value` of the first Set-Cookie, ready for a Cookie header. */
export function cookieOf(res: Response): string {
  const line = res.headers.getSetCookie()[0];
  if (!line) throw new Error('no Set-Cookie in the response');
  return line.split(';')[0]!;
}

export function locationOf(res: Response): URL {
  const location = res.headers.get('location');
  if (!location) throw new Error(`no Location (status ${res.status})`);
  return new URL(location);
}

/** Signs in at a tenant IdP through its login form (via the authorize endpoint) and returns the SSO cookie. */
export async function signIn(idp: string, clientId: string, userName: string): Promise<string> {
  const q = new URLSearchParams({ client_id: clientId, redirect_uri: CALLBACK, response_type: 'code' });
  const res = await postForm(`${idp}/api/v1/oauth2/authorize?${q}`, { userName, password: 'any' });
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  return cookieOf(res);
}

export async function tokenCall(idp: string, fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await postForm(`${idp}/api/v1/oauth2/token`, fields);
  return { status: res.status, body: await res.json() };
}

/** A code redemption with the tenant's real credentials. */
export const redeem = (idp: string, tenant: { clientId: string; clientSecret: string }, code: string, extra: Record<string, string> = {}) =>
  tokenCall(idp, { grant_type: 'authorization_code', client_id: tenant.clientId, client_secret: tenant.clientSecret, code, ...extra });

export async function userinfo(idp: string, accessToken?: string): Promise<{ status: number; body: any }> {
  const res = await get(`${idp}/api/v1/oauth2/userinfo`, accessToken ? { authorization: `Bearer ${accessToken}` } : {});
  return { status: res.status, body: await res.json() };
}

/** A response body as JSON, typed loosely for assertions (Response.json() is `unknown`). */
export const jsonOf = async (res: Response): Promise<any> => res.json();
