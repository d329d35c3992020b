/**
 * The metrics room, built once by app.ts when METRICS_PORT or METRICS_TOKEN is set (otherwise
 * nothing is collected: no listener on the bus, no store wrapper, no cost). It listens to the
 * observation bus, wraps the store, measures the store and the sessions at scrape time, and offers
 * `/metrics` on the main port (behind the token) or, through `startMetricsListener` called by
 * main.ts, on a listener of its own.
 */
import Router from '@koa/router';
import type { AppState } from '../http/state.js';
import type { Logger } from '../shared/logger.js';
import type { Observations } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { listenForMetrics, metricsRoute, type MetricsListener } from './endpoint.js';
import { instrumentStore } from './instrumented-store.js';
import { labelPolicy } from './labels.js';
import { metricsListener } from './observation-listener.js';
import { collectProcessMetrics, defineMetrics, type MetricSet } from './registry.js';
import { measureAtScrape } from './scrape-time.js';

/** The METRICS_* settings (config's MetricsConfig, when not null). */
export interface MetricsSettings {
  port: number | null;
  host: string;
  token: string | null;
  tenantLabels: boolean;
}

export interface MetricsDeps {
  settings: MetricsSettings;
  /** The store as given (scrape-time reads are not counted as request commands). */
  store: Store;
  keys: Keys;
  /** The configured OpenID clients (and CAS services): the only client ids that become labels. Read per observation. */
  clientIds: () => { has(id: string): boolean };
}

export interface Metrics {
  readonly set: MetricSet;
  readonly settings: MetricsSettings;
  /** The store with each command measured: what app.ts hands the rooms. */
  instrument(store: Store): Store;
  /** Subscribes to the bus; returns the function that unsubscribes. */
  listenTo(observations: Observations): () => void;
  /** `/metrics` for the main port, only when it is served there (a token and no METRICS_PORT). */
  readonly mainPortRoute: Router<AppState> | null;
}

export function createMetrics(deps: MetricsDeps): Metrics {
  const { settings } = deps;
  const set = defineMetrics({ tenantLabels: settings.tenantLabels });
  measureAtScrape(set.registry, { store: deps.store, keys: deps.keys, tenantLabels: settings.tenantLabels });
  const listener = metricsListener(set, labelPolicy(deps.clientIds, settings.tenantLabels));
  return {
    set,
    settings,
    instrument: (store) => instrumentStore(store, set),
    listenTo: (observations) => observations.on(listener),
    mainPortRoute: settings.port === null && settings.token !== null ? metricsRoute(set.registry, settings.token) : null,
  };
}

/**
 * Called once by main.ts after the app is built: adds the process metrics, and starts the separate
 * listener when METRICS_PORT is set. The answer's `close` stops it on shutdown (a no-op without one).
 */
export async function startMetricsListener(metrics: Metrics | null, logger: Pick<Logger, 'info' | 'warn'>): Promise<Pick<MetricsListener, 'close'>> {
  if (metrics === null) return { close: async () => {} };
  collectProcessMetrics(metrics.set.registry);
  if (metrics.settings.port === null) return { close: async () => {} };
  const { port, host, token } = metrics.settings;
  return listenForMetrics(metrics.set.registry, { port, host, token }, logger);
}
