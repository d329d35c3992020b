/**
 * The CAS server built from its factory on the memory store, real bridge sessions and a fake clock,
 * served over loopback HTTP: no KooGallery, no tenant IdP (sessions are made directly).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { createCasServer, type CasServer } from '../../../src/cas-server/routes.js';
import { parseServices } from '../../../src/cas-server/services.js';
import { cookieNames } from '../../../src/http/cookies.js';
import { requestId } from '../../../src/http/request-id.js';
import type { AppState } from '../../../src/http/state.js';
import type { SessionRecord } from '../../../src/sessions/types.js';
import type { DirectoryEvent, DirectoryListener } from '../../../src/shared/directory-events.js';
import type { JsonValue } from '../../../src/shared/jobs.js';
import { createLogger } from '../../../src/shared/logger.js';
import { createObservations, type Observation } from '../../../src/shared/observations.js';
import { identity, sessionsFixture, type SessionsFixture } from '../../support/sessions.js';

export const APP = 'https://app.example.com';
export const TTL_MS = 30_000;

export interface CasFixture extends SessionsFixture {
  url: string;
  cas: CasServer;
  observations: Observation[];
  /** Jobs enqueued through the fixture's queue, with their dedupe keys. */
  enqueued: { kind: string; payload: JsonValue; dedupeKey: string | undefined }[];
  logs: string[];
  emit(event: DirectoryEvent): Promise<void>;
  /** A bridge session; answers the cookie value and the record. */
  signIn(userName?: string, tenantId?: string): Promise<{ cookie: string; record: SessionRecord }>;
  get(path: string, cookie?: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export const DEFAULT_SERVICES = [
  { id: 'app', service_prefix: `${APP}/` },
  { id: 'exact', service: 'https://exact.example.com/cas?x=1' },
  { id: 'acme-only', service_prefix: 'https://acme-only.example.com/', allowed_tenants: ['acme'], user: 'userName', attributes: ['userName', 'role'] },
  { id: 'no-slo', service_prefix: 'https://quiet.example.com/', single_logout: false },
];

/** `publicUrl`: the PUBLIC_URL the server is told, when not its own loopback URL (an https one, for HSTS). */
export async function casFixture(services: unknown[] = DEFAULT_SERVICES, opts: { publicUrl?: string } = {}): Promise<CasFixture> {
  const base = sessionsFixture();
  const observations: Observation[] = [];
  const bus = createObservations();
  bus.on((o) => observations.push(o));
  const enqueued: CasFixture['enqueued'] = [];
  const listeners: DirectoryListener[] = [];
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(line) } });
  // Listen first: the server's own URL is its PUBLIC_URL.
  let handle: ReturnType<Koa['callback']> | null = null;
  const server: Server = createServer((req, res) => handle!(req, res)).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cookies = cookieNames(url);
  const cas = createCasServer({
    publicUrl: opts.publicUrl ?? url,
    services: parseServices(services),
    ticketTtlMs: TTL_MS,
    sessionLifetimeMs: 12 * 3600_000,
    store: base.store,
    keys: base.keys,
    secretBox: base.secretBox,
    sessions: base.sessions,
    refresh: { ensureFresh: async (r: SessionRecord) => r } as never,
    upstreamLogoutUrl: async (_s, back) => `https://idp.example.com/logout?redirect_url=${encodeURIComponent(back)}`,
    jobs: {
      async enqueue(kind, payload, opts) {
        enqueued.push({ kind, payload, dedupeKey: opts?.dedupeKey });
        return { id: String(enqueued.length), enqueued: true };
      },
    },
    cookies,
    observations: bus,
    logger,
    events: { on: (l) => (listeners.push(l), () => {}), emit: async () => {} },
    now: base.clock.now,
  });
  const app = new Koa<AppState>();
  app.silent = true;
  // As app.ts mounts them: validation ahead of the shared middleware.
  app.use(cas.validation);
  app.use(requestId(logger));
  app.use(cas.routes.routes());
  handle = app.callback();
  return {
    ...base,
    url,
    cas,
    observations,
    enqueued,
    logs,
    async emit(event) {
      for (const l of listeners) await l(event);
    },
    async signIn(userName = 'zhang.san', tenantId = 'acme') {
      const { sid, record } = await base.sessions.create(identity(userName, tenantId, { email: `${userName}@example.com` }), 'oauth2', null);
      return { cookie: `${cookies.session}=${sid}`, record };
    },
    get: (path, cookie, headers = {}) => fetch(`${url}${path}`, { redirect: 'manual', headers: { ...(cookie ? { cookie } : {}), 'accept-language': 'en', ...headers } }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `/cas/login` for `service` with the session cookie: the ticket of the redirect. */
export async function ticketFor(f: CasFixture, cookie: string, service: string, extra = ''): Promise<string> {
  const res = await f.get(`/cas/login?service=${encodeURIComponent(service)}${extra}`, cookie);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location?.includes('ticket=')) throw new Error(`no ticket: ${res.status} ${location}`);
  return new URL(location).searchParams.get('ticket')!;
}

export const validateAt = (f: CasFixture, path: string, params: Record<string, string>) => f.get(`${path}?${new URLSearchParams(params)}`);
