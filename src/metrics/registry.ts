/**
 * Every metric koobridge exports, defined once on a registry of its own (no global registry: two
 * apps in one process — tests, a second instance — never share series); the gauges read at scrape
 * time are in scrape-time.ts. The README's Operations
 * table lists the same names; test/unit/metrics/dashboards.test.ts checks that the Grafana
 * dashboard and the alert rules query only names defined here.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CommandTimings } from './command-timings.js';

// Webhooks must be answered within 5 s (spec §4): buckets dense under 1 s, up to the deadline.
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
// IdP calls are bounded by IDP_TIMEOUT (5 s by default, at most 60 s).
const IDP_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// A store command on a healthy Redis takes well under a millisecond; its deadline is seconds.
const STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 2.5];

export function defineMetrics(opts: { tenantLabels: boolean }) {
  const registry = new Registry();
  const t = (names: string[]): string[] => (opts.tenantLabels ? [...names, 'tenant'] : names);
  const registers = [registry];
  const metrics = {
    registry,
    webhookRequests: new Counter({ name: 'koobridge_webhook_requests_total', help: 'KooGallery calls answered, by interface and result code', labelNames: t(['interface', 'result_code']), registers }),
    webhookDuration: new Histogram({ name: 'koobridge_webhook_duration_seconds', help: 'Time to answer a KooGallery call, by interface', labelNames: ['interface'], buckets: WEBHOOK_BUCKETS, registers }),
    logins: new Counter({ name: 'koobridge_logins_total', help: 'Logins that reached a decision, by method, outcome and refusal reason (an error code)', labelNames: t(['method', 'outcome', 'reason']), registers }),
    idpCalls: new Counter({ name: 'koobridge_idp_calls_total', help: 'Calls to tenant IdPs, by call and outcome', labelNames: t(['call', 'outcome']), registers }),
    idpDuration: new Histogram({ name: 'koobridge_idp_call_duration_seconds', help: 'Duration of calls to tenant IdPs, by call', labelNames: ['call'], buckets: IDP_BUCKETS, registers }),
    tokens: new Counter({ name: 'koobridge_tokens_total', help: 'Credentials issued to, refreshed for, revoked from or refused to merchant apps, by protocol, client and action', labelNames: t(['protocol', 'client', 'action', 'reason']), registers }),
    backchannel: new Counter({ name: 'koobridge_backchannel_logouts_total', help: 'Back-channel logout deliveries to apps, by protocol, client and outcome', labelNames: ['protocol', 'client', 'outcome'], registers }),
    sessionEnds: new Counter({ name: 'koobridge_session_ends_total', help: 'Bridge sessions ended, by cause', labelNames: t(['cause']), registers }),
    adminActions: new Counter({ name: 'koobridge_admin_actions_total', help: 'Admin API and console actions, by action and outcome', labelNames: ['action', 'outcome'], registers }),
    rateLimited: new Counter({ name: 'koobridge_rate_limited_total', help: 'Requests turned away by a rate limit, by limit and scope', labelNames: ['limit', 'scope'], registers }),
    // On every request: a lighter histogram than prom-client's (command-timings.ts).
    storeDuration: new CommandTimings('koobridge_store_command_duration_seconds', 'Duration of store commands, by command (failed ones included)', STORE_BUCKETS, registry),
    storeErrors: new Counter({ name: 'koobridge_store_errors_total', help: 'Store commands that failed, by command', labelNames: ['command'], registers }),
  };
  return metrics;
}

/**
 * prom-client's process metrics (CPU, memory, event loop, GC) on `registry`. Per process, not per
 * app: main.ts starts them once (startMetricsListener), so an app rebuilt while the store is not
 * reachable at start-up adds no second set of event-loop and GC observers.
 */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
}

export type MetricSet = ReturnType<typeof defineMetrics>;
