/**
 * Starting and stopping private redis-server processes for tests (the shared one in global-setup,
 * and the extra ones that store-down and cluster tests kill and restart). No vitest imports: the
 * global setup loads this outside a test worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const REDIS_MISSING_MESSAGE =
  'redis-server not found: install it with "sudo apt-get install -y redis-server" (Debian/Ubuntu) or set TEST_REDIS_URL to a Redis you own';

/** Full path of an executable on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const hasRedisServer = () => findOnPath('redis-server') !== undefined;
export const hasRedisCli = () => findOnPath('redis-cli') !== undefined;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A free TCP port on 127.0.0.1 whose +10000 neighbour is free too (Redis Cluster's bus port).
 * Random rather than sequential so parallel test files rarely race for the same port.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('no free TCP port found on 127.0.0.1 for a test redis-server');
}

/** True once something on the port answers PING (+PONG, or -NOAUTH when a password is set). */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(/^(\+PONG|-NOAUTH)/.test(data.toString())));
  });
}

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:<port> (no password even when one is set). */
  url: string;
  process: ChildProcess;
  dir: string;
}

export interface StartOptions {
  port?: number;
  /** Extra redis-server arguments, e.g. ['--requirepass', 'x'] or cluster settings. */
  args?: string[];
  /** A config file to load first (Sentinel needs one it can rewrite); written into the data folder. */
  config?: string;
  /** Reuse a data folder (to restart a server in place, e.g. a cluster node keeping nodes.conf). */
  dir?: string;
  timeoutMs?: number;
}

export async function startRedisServer(opts: StartOptions = {}): Promise<RedisServer> {
  const bin = findOnPath('redis-server');
  if (!bin) throw new Error(REDIS_MISSING_MESSAGE);
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'koobridge-redis-'));
  // No persistence: test data must never outlive the server or land in the working tree.
  const config = opts.config === undefined ? [] : [join(dir, 'redis.conf')];
  if (opts.config !== undefined) writeFileSync(config[0]!, opts.config);
  const args = [...config, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, ...(opts.args ?? [])];
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += String(d)));
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  while (!(await answersPing(port))) {
    if (child.exitCode !== null) {
      throw new Error(`redis-server on port ${port} exited with code ${child.exitCode}: ${stderr.trim().slice(0, 300)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${opts.timeoutMs ?? 10_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, url: `redis://127.0.0.1:${port}`, process: child, dir };
}

/** SIGTERM (or the given signal), then SIGKILL if it has not exited after 3 s. */
export async function stopRedisServer(server: RedisServer, opts: { signal?: NodeJS.Signals; keepDir?: boolean } = {}): Promise<void> {
  const child = server.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(opts.signal ?? 'SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }
  if (!opts.keepDir) rmSync(server.dir, { recursive: true, force: true });
}

/** Runs redis-cli synchronously; throws with its output when it fails. */
export function redisCli(args: string[], timeoutMs = 15_000): string {
  const bin = findOnPath('redis-cli');
  if (!bin) throw new Error('redis-cli not found');
  const result = spawnSync(bin, args, { encoding: 'utf8', timeout: timeoutMs });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${(result.stderr || result.stdout || '').trim().slice(0, 500)}`);
  return result.stdout;
}
