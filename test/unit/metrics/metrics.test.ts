/**
 * The metrics room on its own: observations become series with bounded labels, the store wrapper
 * times every command and counts failures, the scrape-time gauges read the store within bounds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/metrics/metrics.js';
import { createObservations } from '../../../src/shared/observations.js';
import { KbError } from '../../../src/shared/errors.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/types.js';

const keys = createKeys('kb:');
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function build(over: { tenantLabels?: boolean; store?: Store } = {}): { metrics: Metrics; store: Store; text: () => Promise<string> } {
  const store = over.store ?? createMemoryStore();
  stores.push(store);
  const metrics = createMetrics({
    settings: { port: null, host: '127.0.0.1', token: 'metrics-token-0123456789abcdef', tenantLabels: over.tenantLabels ?? false },
    store,
    keys,
    clientIds: () => new Set(['web-app']),
  });
  return { metrics, store, text: () => metrics.set.registry.metrics() };
}

/** The value of one sample line, e.g. `koobridge_logins_total{method="cas",outcome="success",reason=""}`. */
const sample = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('observations become series', () => {
  it('webhooks by interface and result code, with a latency histogram; unknown interfaces and codes are folded', async () => {
    const { metrics, text } = build();
    const bus = createObservations();
    metrics.listenTo(bus);
    const webhook = { kind: 'webhook' as const, message: 'ok', summary: '1 user', tenantId: 'acme' };
    bus.emit({ ...webhook, interface: 'authSync', resultCode: '000000', durationMs: 12 });
    bus.emit({ ...webhook, interface: 'authSync', resultCode: '000000', durationMs: 30 });
    bus.emit({ ...webhook, interface: '../etc/passwd', resultCode: 'x<script>', durationMs: 1 });
    const out = await text();
    expect(sample(out, 'koobridge_webhook_requests_total{interface="authSync",result_code="000000"}')).toBe(2);
    expect(sample(out, 'koobridge_webhook_requests_total{interface="unknown",result_code="other"}')).toBe(1);
    expect(sample(out, 'koobridge_webhook_duration_seconds_bucket{le="0.025",interface="authSync"}')).toBe(1);
    expect(sample(out, 'koobridge_webhook_duration_seconds_count{interface="authSync"}')).toBe(2);
    expect(out).not.toContain('acme');
  });

  it('logins, tokens and back-channel deliveries never carry user names, tenants (unless opted in) or unconfigured client ids', async () => {
    const { metrics, text } = build();
    const bus = createObservations();
    metrics.listenTo(bus);
    bus.emit({ kind: 'login', method: 'tenant_idp', outcome: 'refused', reason: 'login_user_not_authorized', tenantId: 'acme', userName: 'zhang.san' });
    bus.emit({ kind: 'login', method: 'cas', outcome: 'success', tenantId: 'acme', userName: 'zhang.san' });
    bus.emit({ kind: 'token', protocol: 'oidc', action: 'issued', clientId: 'web-app', tokenType: 'access_token', userName: 'zhang.san' });
    bus.emit({ kind: 'token', protocol: 'oidc', action: 'refused', clientId: 'made-up-client', reason: 'invalid_grant' });
    bus.emit({ kind: 'token', protocol: 'oidc', action: 'refused', clientId: 'web-app', reason: 'a free text reason' });
    bus.emit({ kind: 'backchannel', protocol: 'oidc', clientId: 'web-app', outcome: 'delivered', userName: 'zhang.san' });
    bus.emit({ kind: 'idp_call', call: 'token', outcome: 'timeout', durationMs: 1000 });
    bus.emit({ kind: 'rate_limited', limit: 'login', scope: 'ip', retryAfterSeconds: 3 });
    bus.emit({ kind: 'session_end', cause: 'logout', tenantId: 'acme', count: 2 });
    const out = await text();
    expect(sample(out, 'koobridge_logins_total{method="tenant_idp",outcome="refused",reason="login_user_not_authorized"}')).toBe(1);
    expect(sample(out, 'koobridge_logins_total{method="cas",outcome="success",reason=""}')).toBe(1);
    expect(sample(out, 'koobridge_tokens_total{protocol="oidc",client="web-app",action="issued",reason=""}')).toBe(1);
    expect(sample(out, 'koobridge_tokens_total{protocol="oidc",client="unknown",action="refused",reason="invalid_grant"}')).toBe(1);
    expect(sample(out, 'koobridge_tokens_total{protocol="oidc",client="web-app",action="refused",reason="other"}')).toBe(1);
    expect(sample(out, 'koobridge_backchannel_logouts_total{protocol="oidc",client="web-app",outcome="delivered"}')).toBe(1);
    expect(sample(out, 'koobridge_idp_calls_total{call="token",outcome="timeout"}')).toBe(1);
    expect(sample(out, 'koobridge_rate_limited_total{limit="login",scope="ip"}')).toBe(1);
    expect(sample(out, 'koobridge_session_ends_total{cause="logout"}')).toBe(2);
    expect(out).not.toMatch(/zhang\.san|acme|made-up-client/);
  });

  it('METRICS_TENANT_LABELS=1 adds the tenant to the per-tenant series', async () => {
    const { metrics, text } = build({ tenantLabels: true });
    const bus = createObservations();
    metrics.listenTo(bus);
    bus.emit({ kind: 'login', method: 'unified', outcome: 'success', tenantId: 'acme', userName: 'zhang.san' });
    expect(sample(await text(), 'koobridge_logins_total{method="unified",outcome="success",reason="",tenant="acme"}')).toBe(1);
  });
});

describe('the store wrapper', () => {
  it('times each command under its name and counts the failures, passing results and errors through unchanged', async () => {
    const base = createMemoryStore();
    let failPing = false;
    const flaky: Store = { ...base, kind: base.kind, close: () => base.close(), subscribe: base.subscribe, ping: async () => { if (failPing) throw new KbError('store_unavailable', 'down'); } };
    const { metrics, text } = build({ store: base });
    const store = metrics.instrument(flaky);
    await store.exec([{ op: 'set', key: 'k', value: 'v' }]);
    expect(await store.get('k')).toBe('v');
    expect(await store.get('k')).toBe('v');
    failPing = true;
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_unavailable' });
    const out = await text();
    expect(sample(out, 'koobridge_store_command_duration_seconds_count{command="get"}')).toBe(2);
    expect(sample(out, 'koobridge_store_command_duration_seconds_count{command="exec"}')).toBe(1);
    expect(sample(out, 'koobridge_store_command_duration_seconds_count{command="ping"}')).toBe(1);
    expect(sample(out, 'koobridge_store_errors_total{command="ping"}')).toBe(1);
    expect(sample(out, 'koobridge_store_errors_total{command="get"}')).toBe(0);
    expect(store.kind).toBe('memory');
  });
});

describe('read at scrape time', () => {
  it('active sessions are the sizes of the tenants\' session indexes; the store is up while it answers a ping', async () => {
    const { store, text } = build();
    await store.exec([
      { op: 'zadd', key: keys.tenantIndex(), members: ['acme', 'globex', 'initech'] },
      { op: 'sadd', key: keys.tenantSessions('acme'), members: ['s1', 's2'] },
      { op: 'sadd', key: keys.tenantSessions('globex'), members: ['s3'] },
    ]);
    const out = await text();
    expect(sample(out, 'koobridge_sessions_active')).toBe(3);
    expect(sample(out, 'koobridge_sessions_active_truncated')).toBe(0);
    expect(sample(out, 'koobridge_store_up')).toBe(1);
    await store.close();
    const down = await text();
    expect(sample(down, 'koobridge_store_up')).toBe(0);
    expect(sample(down, 'koobridge_sessions_active')).toBe(3); // the last count, not a false drop to zero
  });

  it('with tenant labels, one series per tenant that has sessions', async () => {
    const { store, text } = build({ tenantLabels: true });
    await store.exec([
      { op: 'zadd', key: keys.tenantIndex(), members: ['acme', 'globex'] },
      { op: 'sadd', key: keys.tenantSessions('acme'), members: ['s1', 's2'] },
    ]);
    const out = await text();
    expect(sample(out, 'koobridge_sessions_active{tenant="acme"}')).toBe(2);
    expect(out).not.toContain('tenant="globex"');
  });
});
