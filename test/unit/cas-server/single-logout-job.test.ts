import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogoutRecords, type LogoutEntry } from '../../../src/cas-server/logouts.js';
import { parseServices } from '../../../src/cas-server/services.js';
import { singleLogoutJob } from '../../../src/cas-server/single-logout-job.js';
import { PermanentJobError } from '../../../src/shared/jobs.js';
import { createObservations, type Observation } from '../../../src/shared/observations.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createSecretBox } from '../../../src/store/secret-box.js';

const TICKET = `ST-${'ab'.repeat(32)}`;

describe('CAS single-logout job', () => {
  let server: Server;
  let url: string;
  let status = 200;
  const received: { path: string; type: string; body: string }[] = [];
  beforeEach(async () => {
    received.length = 0;
    status = 200;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ path: req.url!, type: req.headers['content-type'] ?? '', body });
        res.writeHead(status, status === 302 ? { location: '/login' } : {}).end();
      });
    }).listen(0, '127.0.0.1');
    await new Promise<void>((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function setup(services: unknown[]) {
    const store = createMemoryStore();
    const keys = createKeys('unit:');
    const logouts = createLogoutRecords({ store, keys, secretBox: createSecretBox([randomBytes(32).toString('base64')]), sessionLifetimeMs: 60_000 });
    await logouts.record({ sidHash: 'sid1', tenantId: 'acme', userName: 'zhang.san' }, 'th1', { ticket: TICKET, serviceId: 'app', serviceUrl: `${url}/app/page?x=1` });
    const [entry] = await logouts.takeUser('acme', 'zhang.san');
    const observations: Observation[] = [];
    const bus = createObservations();
    bus.on((o) => observations.push(o));
    const run = singleLogoutJob({ services: parseServices(services), logouts, observations: bus, logger: { info: () => {} }, now: () => Date.UTC(2026, 11, 1, 10, 0, 0) });
    const job = (payload: unknown = entry) => run(payload, { id: '1', kind: 'cas.single-logout', attempt: 1, signal: new AbortController().signal });
    return { entry: entry as LogoutEntry, job, observations };
  }

  it('POSTs the LogoutRequest form to the service URL the ticket was issued for; a 2xx or 3xx is a delivery', async () => {
    const { job, observations } = await setup([{ id: 'app', service_prefix: `${url}/app/` }]);
    await job();
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/app/page?x=1');
    expect(received[0]!.type).toBe('application/x-www-form-urlencoded');
    const xml = new URLSearchParams(received[0]!.body).get('logoutRequest')!;
    expect(xml).toContain(`<samlp:SessionIndex>${TICKET}</samlp:SessionIndex>`);
    expect(xml).toContain('IssueInstant="2026-12-01T10:00:00Z"');
    status = 302;
    await job();
    expect(observations).toEqual([
      { kind: 'backchannel', protocol: 'cas', clientId: 'app', outcome: 'delivered', tenantId: 'acme', userName: 'zhang.san' },
      { kind: 'backchannel', protocol: 'cas', clientId: 'app', outcome: 'delivered', tenantId: 'acme', userName: 'zhang.san' },
    ]);
  });

  it('uses the service\'s logout_url when it has one', async () => {
    const { job } = await setup([{ id: 'app', service_prefix: `${url}/app/`, logout_url: `${url}/slo` }]);
    await job();
    expect(received[0]!.path).toBe('/slo');
  });

  it('a 5xx or an unreachable app is retried (throws); a 4xx is refused for good (PermanentJobError)', async () => {
    const { job, observations } = await setup([{ id: 'app', service_prefix: `${url}/app/` }]);
    status = 503;
    await expect(job()).rejects.toThrow('CAS single logout to service app: HTTP 503');
    status = 404;
    await expect(job()).rejects.toBeInstanceOf(PermanentJobError);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await expect(job()).rejects.toThrow('unreachable');
    server = createServer().listen(0, '127.0.0.1'); // closed again by afterEach
    expect(observations.map((o) => o.kind === 'backchannel' && `${o.outcome} ${o.reason}`)).toEqual(['retrying HTTP 503', 'failed HTTP 404', 'retrying unreachable']);
  });

  it('drops the job when the service was removed or no longer wants single logout; a malformed payload is dead at once', async () => {
    const removed = await setup([{ id: 'other', service_prefix: `${url}/other/` }]);
    await removed.job();
    const quiet = await setup([{ id: 'app', service_prefix: `${url}/app/`, single_logout: false }]);
    await quiet.job();
    expect(received).toHaveLength(0);
    await expect(quiet.job({ nope: 1 })).rejects.toBeInstanceOf(PermanentJobError);
  });

  it('a sealed record copied to another user\'s job does not open', async () => {
    const { job, entry } = await setup([{ id: 'app', service_prefix: `${url}/app/` }]);
    await expect(job({ ...entry, userName: 'li.si' })).rejects.toMatchObject({ code: 'internal' });
    expect(received).toHaveLength(0);
  });
});
