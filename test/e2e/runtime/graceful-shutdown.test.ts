/**
 * The built service as an orchestrator runs it: `node dist/main.js` (and `koobridge serve`) in
 * its own process, on the test Redis. The work tree's own dist/ is used when it is newer than every
 * source file (CI: `npm ci` builds just before `npm test`); otherwise the sources are compiled into a
 * private folder first (about 20 s of one core), so a stale dist/ is never what is tested. SIGTERM:
 * /readyz answers 503 during the drain while the listener still accepts, then the listener
 * closes, a request in flight is answered, the outbox stops, the store closes, exit 0.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKeyPair } from '../../support/keys.js';
import { redisUrl } from '../../support/redis.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PRIVATE = path.join(ROOT, '.cache', `test-build-${process.pid}-${randomBytes(3).toString('hex')}`);

/** True when every src/**.ts has its dist/**.js, written after it. */
function distIsFresh(): boolean {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
  return walk(path.join(ROOT, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .every((f) => {
      const out = path.join(ROOT, 'dist', path.relative(path.join(ROOT, 'src'), f)).replace(/\.ts$/, '.js');
      return existsSync(out) && statSync(out).mtimeMs >= statSync(f).mtimeMs;
    });
}

/** Where dist/ and bin/ are, side by side as in the package. */
let OUT = ROOT;

interface Service {
  child: ChildProcess;
  url: string;
  port: number;
  /** Parsed JSON log lines so far. */
  logs: { msg: string; step?: string; trigger?: string }[];
  exit: Promise<number | null>;
}

async function startService(script: string[], extra: Record<string, string> = {}): Promise<Service> {
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    // The OS picks the port (no race with other test processes); PUBLIC_URL only has to be loopback here.
    PORT: '0',
    PUBLIC_URL: 'http://127.0.0.1:3000',
    REDIS_URL: redisUrl(),
    REDIS_KEY_PREFIX: `sd${randomBytes(4).toString('hex')}:`,
    KOO_APP_ID: 'app-shutdown-test',
    KOO_ACCESS_KEY: randomBytes(24).toString('base64url'),
    KOO_PRIVATE_KEY: testKeyPair().privateKeyPem,
    SECRET_KEYS: randomBytes(32).toString('base64'),
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    ...extra,
  };
  const child = spawn(process.execPath, script, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Service['logs'] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) if (line.startsWith('{')) logs.push(JSON.parse(line));
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let port = 0;
  await until(() => (port = (logs.find((l) => l.msg.startsWith('koobridge listening on port')) as { port?: number } | undefined)?.port ?? 0) > 0, () => `the service did not start: ${stderr}`, child);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/readyz`)).status === 200, () => `the service did not become ready: ${stderr}`, child);
  return { child, url, port, logs, exit };
}

/** Polls `check` (no fixed sleep) until true; stops early when the process has died. */
async function until(check: () => Promise<boolean> | boolean, what: () => string, child?: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child && child.exitCode !== null) break;
    try {
      if (await check()) return;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(what());
}

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });

/** A POST whose body the test sends in two parts: in flight until `finish()`. */
function slowRequest(port: number) {
  const body = 'grant_type=authorization_code&code=held-open-by-the-test';
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/oidc/token', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } });
  const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (c: Buffer) => void (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.once('error', reject);
  });
  const connected = new Promise<void>((resolve) => req.once('socket', (s) => (s.connecting ? s.once('connect', () => resolve()) : resolve())));
  req.write(body.slice(0, 10));
  return { connected, answered, finish: () => req.end(body.slice(10)) };
}

describe('graceful shutdown of the built service', () => {
  beforeAll(() => {
    if (distIsFresh()) return;
    OUT = PRIVATE;
    mkdirSync(OUT, { recursive: true });
    // The package's layout (bin/ next to dist/), so `koobridge serve` finds dist/ as it does when installed.
    const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(OUT, 'dist'), '--tsBuildInfoFile', path.join(OUT, 'tsbuildinfo')], { cwd: ROOT, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
    cpSync(path.join(ROOT, 'bin'), path.join(OUT, 'bin'), { recursive: true });
  }, 180_000);
  afterAll(() => rmSync(PRIVATE, { recursive: true, force: true }));

  it('SIGTERM: readiness fails during the drain, the listener closes, a request in flight is answered, exit 0 after the store closed', async () => {
    const service = await startService([path.join(OUT, 'dist/main.js')], { SHUTDOWN_DRAIN: '2s', SHUTDOWN_GRACE: '30s' });
    try {
      // SIGHUP reads the clients again and does not end the process (its default action would).
      service.child.kill('SIGHUP');
      await until(() => service.logs.some((l) => l.msg === 'OpenID clients unchanged' && l.trigger === 'SIGHUP'), () => 'no SIGHUP log line');
      expect(service.child.exitCode).toBeNull();

      const slow = slowRequest(service.port);
      await slow.connected;
      service.child.kill('SIGTERM');

      // The drain: not ready, but still serving (new connections included).
      await until(async () => (await fetch(`${service.url}/readyz`)).status === 503, () => '/readyz never answered 503');
      const readyz = await fetch(`${service.url}/readyz`);
      expect(readyz.status).toBe(503);
      expect(await readyz.json()).toMatchObject({ status: 'draining' });
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);

      // Then the listener closes, while the slow request is still being received: the drain is
      // over, and the listener step waits for that request.
      await until(() => refusesConnections(service.port), () => 'the listener did not close');
      await until(() => service.logs.some((l) => l.step === 'readiness fails (drain)'), () => 'no drain log line');
      expect(service.child.exitCode).toBeNull();
      expect(service.logs.map((l) => l.step).filter(Boolean)).toEqual(['readiness fails (drain)']);

      slow.finish();
      const answer = await slow.answered;
      expect(answer.status).toBe(400);
      // oidc-provider read the whole body and judged it: no client named.
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'invalid_request' });

      expect(await service.exit).toBe(0);
      expect(service.logs.map((l) => l.step).filter(Boolean)).toEqual([
        'readiness fails (drain)',
        'listener closed, requests in flight answered',
        'clients file and key ring no longer watched',
        'outbox stopped',
        'metrics listener closed',
        'audit trail flushed',
        'store closed',
      ]);
      expect(service.logs.at(-1)!.msg).toBe('stopped');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('koobridge serve runs the service in its own process: SIGTERM stops it with exit 0', async () => {
    const service = await startService([path.join(OUT, 'bin/koobridge.js'), 'serve'], { SHUTDOWN_DRAIN: '0s' });
    try {
      expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
      service.child.kill('SIGTERM');
      expect(await service.exit).toBe(0);
      expect(service.logs.map((l) => l.step).filter(Boolean)).toContain('store closed');
    } finally {
      service.child.kill('SIGKILL');
    }
  });

  it('a request still running after SHUTDOWN_GRACE has its connection closed, and the process still exits 0', async () => {
    const service = await startService([path.join(OUT, 'dist/main.js')], { SHUTDOWN_DRAIN: '0s', SHUTDOWN_GRACE: '1s' });
    try {
      const slow = slowRequest(service.port);
      await slow.connected;
      service.child.kill('SIGTERM');
      await expect(slow.answered).rejects.toThrow(/socket hang up|ECONNRESET/);
      expect(await service.exit).toBe(0);
      expect(service.logs.some((l) => l.msg === 'requests still running after SHUTDOWN_GRACE; closing their connections')).toBe(true);
    } finally {
      service.child.kill('SIGKILL');
    }
  });
});
