/**
 * Where /metrics is served, proven on the real process (src/main.ts under tsx): on METRICS_PORT
 * and never on the public port; behind METRICS_TOKEN when one is set; not at all with neither; and
 * the metrics listener closes with the process on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startBridge } from '../support/bridge.js';
import { freePort } from '../support/redis.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'metrics-token-for-tests-0123456789';

interface Running {
  child: ChildProcess;
  port: number;
  metricsPort: number;
  exited: Promise<number | null>;
}

async function run(env: Record<string, string>): Promise<Running> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), OIDC_CLIENTS_FILE: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Ready when the main port answers /readyz (a store ping; the metrics listener is started before it).
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`koobridge exited with ${child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)) return { child, port, metricsPort, exited };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('koobridge did not start within 20 s');
}

const started: Running[] = [];
afterAll(() => {
  for (const r of started) if (r.child.exitCode === null) r.child.kill('SIGKILL');
});

describe('the metrics listener of the real process', () => {
  it('METRICS_PORT serves /metrics there, not on the public port; SIGTERM closes it with the process', { timeout: 40_000 }, async () => {
    const r = await run({});
    started.push(r);
    expect((await fetch(`http://127.0.0.1:${r.port}/metrics`)).status).toBe(404);
    const res = await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/^koobridge_store_up 1$/m);
    expect(text).toMatch(/^koobridge_store_command_duration_seconds_count\{command="ping"\} [1-9]/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect((await fetch(`http://127.0.0.1:${r.metricsPort}/other`)).status).toBe(404);

    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${r.metricsPort}/metrics`)).rejects.toThrow();
  });

  it('with METRICS_TOKEN as well, the metrics listener asks for the bearer token too', { timeout: 40_000 }, async () => {
    const r = await run({ METRICS_TOKEN: TOKEN });
    started.push(r);
    expect((await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`)).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${r.metricsPort}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${r.port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });
});

describe('with neither METRICS_PORT nor METRICS_TOKEN', () => {
  it('/metrics is not served and nothing is collected', async () => {
    const bridge = await startBridge({ backend: 'memory' });
    try {
      expect((await fetch(`${bridge.url}/metrics`)).status).toBe(404);
      expect(bridge.config.metrics).toBeNull();
    } finally {
      await bridge.close();
    }
  });
});
