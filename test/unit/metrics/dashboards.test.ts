/**
 * The Grafana dashboard and the example alert rules under deploy/ query only series koobridge
 * exports: every metric name exists in the registry (histograms through their _bucket, _sum and
 * _count series), and every label a selector or a `by (…)` names is one of that metric's labels.
 * And, where promtool is installed, the rules pass `promtool check rules`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { collectProcessMetrics, defineMetrics } from '../../../src/metrics/registry.js';
import { measureAtScrape } from '../../../src/metrics/scrape-time.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const ALERTS = path.join(ROOT, 'deploy/prometheus/alerts.yml');

/** Every series name the registry exports, with its labels (histograms: their three series). */
function exported(): Map<string, Set<string>> {
  const { registry } = defineMetrics({ tenantLabels: false });
  collectProcessMetrics(registry);
  measureAtScrape(registry, { store: createMemoryStore(), keys: createKeys(), tenantLabels: false });
  const out = new Map<string, Set<string>>();
  for (const metric of registry.getMetricsAsArray() as unknown as { name: string; type: string; labelNames?: string[] }[]) {
    const labels = new Set(metric.labelNames ?? []);
    if (metric.type === 'histogram') {
      out.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      out.set(`${metric.name}_sum`, labels);
      out.set(`${metric.name}_count`, labels);
    } else {
      out.set(metric.name, labels);
    }
  }
  return out;
}

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = new Set(['job', 'instance']);
const METRIC = /\b((?:koobridge|process|nodejs)_[a-z0-9_]+)(\{[^}]*\})?/g;

/** Problems of one PromQL expression: unknown metric names, selector or grouping labels the metrics lack. */
function problemsOf(expr: string, series: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  const names: string[] = [];
  for (const [, name, selector] of expr.matchAll(METRIC)) {
    names.push(name!);
    const labels = series.get(name!);
    if (!labels) {
      problems.push(`${name}: not exported`);
      continue;
    }
    for (const [, label] of (selector ?? '').matchAll(/([a-z_]+)\s*(?:=~|!=|!~|=)/g)) {
      if (!labels.has(label!) && !TARGET_LABELS.has(label!)) problems.push(`${name}: no label ${label}`);
    }
  }
  if (names.length === 0) problems.push(`${expr}: queries no koobridge metric`);
  // `by (a, b)` must name labels every metric of the expression has.
  for (const [, list] of expr.matchAll(/\bby\s*\(([^)]*)\)/g)) {
    for (const label of list!.split(',').map((l) => l.trim())) {
      for (const name of names) if (series.get(name) && !series.get(name)!.has(label) && !TARGET_LABELS.has(label)) problems.push(`${name}: grouped by ${label}, which it lacks`);
    }
  }
  return problems;
}

describe('deploy/ dashboards and alerts query what koobridge exports', () => {
  const series = exported();

  it('the checker finds a misspelt metric and a label a metric does not have', () => {
    expect(problemsOf('sum(rate(koobridge_login_total[5m]))', series)).toEqual(['koobridge_login_total: not exported']);
    expect(problemsOf('sum by (tenant) (rate(koobridge_logins_total{user="x"}[5m]))', series)).toEqual(['koobridge_logins_total: no label user', 'koobridge_logins_total: grouped by tenant, which it lacks']);
  });

  it('the Grafana dashboard (deploy/grafana/koobridge-dashboard.json)', () => {
    const dashboard = JSON.parse(readFileSync(path.join(ROOT, 'deploy/grafana/koobridge-dashboard.json'), 'utf8')) as { uid: string; panels: { title: string; type: string; targets?: { expr: string }[] }[] };
    expect(dashboard.uid).toBe('koobridge-overview');
    const exprs = dashboard.panels.flatMap((p) => (p.type === 'row' ? [] : (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr }))));
    expect(exprs.length).toBeGreaterThanOrEqual(15);
    expect(exprs.flatMap(({ panel, expr }) => problemsOf(expr, series).map((p) => `${panel}: ${p}`))).toEqual([]);
  });

  it('the alert rules (deploy/prometheus/alerts.yml) cover webhook failures, the store, logins and back-channel logouts', () => {
    const rules = (parse(readFileSync(ALERTS, 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['KoobridgeWebhookFailures', 'KoobridgeStoreDown', 'KoobridgeLoginFailureRatio', 'KoobridgeBackchannelLogoutFailures']));
    expect(rules.flatMap((r) => problemsOf(r.expr, series).map((p) => `${r.alert}: ${p}`))).toEqual([]);
  });

  const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!promtool)('the alert rules pass `promtool check rules` (only where promtool is installed)', () => {
    const result = spawnSync('promtool', ['check', 'rules', ALERTS], { encoding: 'utf8' });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
  });
});
