/**
 * The deployment examples under deploy/ are checked like code: the Kubernetes objects against the
 * Kubernetes API schemas (kubernetes-models' validate(): types and required fields), the systemd
 * unit by `systemd-analyze verify` where the machine has it; both start `node dist/main.js` itself
 * (SIGTERM reaches the process), and every variable they set is one koobridge reads, with a value
 * its configuration accepts.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, configSchema } from '../../../src/config/schema.js';
import { loadClients } from '../../../src/oidc/clients.js';
import { redisOptionsFromUrl } from '../../../src/store/redis-url.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const KNOWN = new Set<string>([...CONFIG_VARIABLES, 'CONFIG_FILE']);
/** Placeholders the operator replaces; the only values allowed to fail their variable's check. */
const isPlaceholder = (value: string) => value.startsWith('change-me');

// The longest stop main.ts can take with the default settings (README, Operations): the drain
// (SHUTDOWN_DRAIN), requests in flight (SHUTDOWN_GRACE), the outbox's running jobs (5 s), the audit
// flush (3 s) and the last log lines (2 s). The orchestrator must wait longer before SIGKILL.
const defaults = configSchema.parse({});
const WORST_STOP_S = (defaults.SHUTDOWN_DRAIN + defaults.SHUTDOWN_GRACE) / 1000 + 5 + 3 + 2;

/** What the configuration says of these variables: one line per problem, placeholders excepted. */
function configProblems(env: Record<string, string>): string[] {
  const result = configSchema.safeParse(env);
  return (result.error?.issues ?? [])
    .filter((issue) => !isPlaceholder(env[String(issue.path[0])] ?? ''))
    .map((issue) => `${String(issue.path[0])}: ${issue.message}`);
}

describe('the Kubernetes example (deploy/kubernetes/koobridge.yaml)', () => {
  const docs = parseAllDocuments(read('deploy/kubernetes/koobridge.yaml')).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, any>;
  });
  const one = (kind: string) => {
    const found = docs.filter((d) => d.kind === kind);
    expect(found, kind).toHaveLength(1);
    return found[0]!;
  };
  const configMap = one('ConfigMap');
  const secret = one('Secret');
  const deployment = one('Deployment');
  const pod = deployment.spec.template;
  const container = pod.spec.containers[0];

  it('every object passes the Kubernetes API schema of its kind', () => {
    const models: Record<string, new (data: any) => { validate(): void }> = {
      'v1/ConfigMap': ConfigMap,
      'v1/Secret': Secret,
      'v1/Service': Service,
      'apps/v1/Deployment': Deployment,
      'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
    };
    expect(docs.map((d) => `${d.apiVersion}/${d.kind}`).sort()).toEqual(Object.keys(models).sort());
    for (const doc of docs) expect(() => new models[`${doc.apiVersion}/${doc.kind}`]!(doc).validate(), `${doc.kind} ${doc.metadata.name}`).not.toThrow();
  });

  it('a schema violation is caught (the check can fail)', () => {
    const broken = structuredClone(deployment);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'http';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort must be integer/);
  });

  it('runs `node dist/main.js` itself, probes /readyz and /healthz, and waits longer than the drain before killing', () => {
    expect(container.command ?? []).toEqual(['node', 'dist/main.js']);
    expect(container.args).toBeUndefined();
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThan(WORST_STOP_S);
  });

  it('a PodDisruptionBudget and a Service select the pods; the Service exposes the public port only', () => {
    const labels = pod.metadata.labels;
    const pdb = one('PodDisruptionBudget');
    const service = one('Service');
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
    expect(deployment.spec.selector.matchLabels).toEqual(pdb.spec.selector.matchLabels);
    expect(pdb.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(service.spec.ports.map((p: { targetPort: string }) => p.targetPort)).toEqual(['http']);
  });

  it('the metrics port is its own, announced to Prometheus by the scrape annotations', () => {
    const metricsPort = Number(configMap.data.METRICS_PORT);
    expect(container.ports).toContainEqual({ name: 'metrics', containerPort: metricsPort });
    expect(container.ports).toContainEqual({ name: 'http', containerPort: Number(configMap.data.PORT) });
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(metricsPort), 'prometheus.io/path': '/metrics' });
    expect(configMap.data.METRICS_HOST).toBe('0.0.0.0');
  });

  it('every variable set exists in the configuration, with a value it accepts; REDIS_URL is a redis+cluster:// URL', () => {
    const fromSecret = Object.fromEntries(
      container.env.map((e: { name: string; valueFrom: { secretKeyRef: { name: string; key: string } } }) => {
        expect(e.valueFrom.secretKeyRef.name).toBe(secret.metadata.name);
        return [e.name, secret.stringData[e.valueFrom.secretKeyRef.key]];
      }),
    );
    expect(container.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
    const env: Record<string, string> = { ...configMap.data, ...fromSecret };
    expect(Object.keys(env).filter((name) => !KNOWN.has(name))).toEqual([]);
    expect(redisOptionsFromUrl(env.REDIS_URL!).kind).toBe('cluster');
    expect(configProblems(env)).toEqual([]);
  });

  it('the files it mounts are where the variables point, and the clients file is one koobridge loads', () => {
    const mounts = new Map(container.volumeMounts.map((m: { name: string; mountPath: string }) => [m.name, m.mountPath]));
    const fileOf = (volume: string) => {
      const v = pod.spec.volumes.find((x: { name: string }) => x.name === volume);
      return { path: `${mounts.get(volume)}/${v.secret.items[0].path}`, key: v.secret.items[0].key as string };
    };
    expect(fileOf('koogallery-key').path).toBe(configMap.data.KOO_PRIVATE_KEY_FILE);
    const clients = fileOf('oidc-clients');
    expect(clients.path).toBe(configMap.data.OIDC_CLIENTS_FILE);
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-deploy-'));
    try {
      writeFileSync(path.join(dir, 'clients.json'), secret.stringData[clients.key]);
      expect(loadClients(path.join(dir, 'clients.json')).map((c) => c.client_id)).toEqual(['crm']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the systemd unit (deploy/systemd/koobridge.service)', () => {
  const unit = read('deploy/systemd/koobridge.service');
  const directives = unit
    .split('\n')
    .filter((line) => /^[A-Za-z]+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  const values = (key: string) => directives.filter(([k]) => k === key).map(([, v]) => v);

  it('starts node on dist/main.js itself, reads an EnvironmentFile, lets SIGTERM reach node and waits longer than the drain', () => {
    expect(values('ExecStart')).toEqual(['/usr/bin/node dist/main.js']);
    expect(values('EnvironmentFile')).toEqual(['/etc/koobridge/koobridge.env']);
    expect(values('KillSignal')).toEqual(['SIGTERM']);
    expect(values('KillMode')).toEqual(['mixed']);
    expect(Number(values('TimeoutStopSec')[0])).toBeGreaterThan(WORST_STOP_S);
  });

  it('is hardened: no new privileges, no capabilities, a read-only system, private /tmp and devices', () => {
    for (const [key, value] of [['NoNewPrivileges', 'yes'], ['CapabilityBoundingSet', ''], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['PrivateDevices', 'yes'], ['RestrictAddressFamilies', 'AF_INET AF_INET6 AF_UNIX']] as const) {
      expect(values(key), key).toEqual([value]);
    }
    expect(values('User')).toEqual(['koobridge']);
  });

  it('every variable it and its env file example set exists in the configuration, with a value it accepts', () => {
    const example = read('deploy/systemd/koobridge.env.example')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
    const env: Record<string, string> = Object.fromEntries([...example, ...values('Environment').map((v) => v.split('=', 2) as [string, string])]);
    expect(Object.keys(env).filter((name) => !KNOWN.has(name))).toEqual([]);
    expect(configProblems(env)).toEqual([]);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  const hasAnalyze = analyze.status === 0;
  it(hasAnalyze ? 'passes `systemd-analyze verify` (no error, no unknown directive)' : 'is a well-formed unit (structural check only: systemd-analyze is not installed here)', () => {
    if (!hasAnalyze) {
      expect(unit.match(/^\[(Unit|Service|Install)\]$/gm)).toEqual(['[Unit]', '[Service]', '[Install]']);
      for (const line of unit.split('\n')) expect(line === '' || line.startsWith('#') || /^\[[A-Za-z]+\]$/.test(line) || /^[A-Z][A-Za-z]+=/.test(line), line).toBe(true);
      return;
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'kb-unit-'));
    try {
      // verify checks that ExecStart's binary exists: where node is elsewhere (a CI's Node 22), the copy names that node.
      const file = path.join(dir, 'koobridge.service');
      copyFileSync(path.join(ROOT, 'deploy/systemd/koobridge.service'), file);
      if (!existsSync('/usr/bin/node')) writeFileSync(file, unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8', timeout: 30_000 });
      const output = `${result.stdout}${result.stderr}`;
      expect(output).not.toMatch(/Unknown (key|section|lvalue)|Failed to parse|bad unit file|Invalid/i);
      expect(result.status, output).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
