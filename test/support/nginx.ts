/**
 * Debian's nginx as a child process for tests: the configuration is the README's marked block, only
 * its {{LISTEN}}, {{BRIDGE}} and {{APP}} filled in, so the README and the test cannot drift.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/bin/nginx'];

/** The nginx binary; installed with apt-get when missing and root, else one clear failure. */
export function nginxBinary(): string {
  const found = () => NGINX_CANDIDATES.find((p) => existsSync(p));
  let bin = found();
  if (!bin && process.getuid?.() === 0) {
    try {
      execFileSync('sh', ['-c', 'DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx'], { stdio: 'ignore', timeout: 300_000 });
    } catch {
      // reported below
    }
    bin = found();
  }
  if (!bin) throw new Error('nginx not found and could not be installed: run `apt-get install nginx` (Debian) as root, then the tests again');
  return bin;
}

/** The README's nginx block between its markers. */
export function readmeNginxBlock(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const m = /<!-- nginx-forward-auth:begin -->\n```nginx\n([\s\S]*?)```\n<!-- nginx-forward-auth:end -->/.exec(readme);
  if (!m) throw new Error('README.md: the nginx block marked nginx-forward-auth:begin/end is missing');
  return m[1]!;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RunningNginx {
  url: string;
  stderr: () => string;
  close(): Promise<void>;
}

/** Runs nginx in the foreground on the given loopback port with the given http-level configuration. */
export async function startNginx(serverBlock: string, port: number): Promise<RunningNginx> {
  const bin = nginxBinary();
  const dir = mkdtempSync(join(tmpdir(), 'kb-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const conf = join(dir, 'nginx.conf');
  const temp = (name: string) => `${name} ${join(dir, name)};`;
  writeFileSync(
    conf,
    [
      `pid ${join(dir, 'nginx.pid')};`,
      // Running as root, nginx would switch its workers to `nobody`: fine, nothing is read from disk.
      'worker_processes 1;',
      'events { worker_connections 64; }',
      'http {',
      `  access_log off; ${['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'].map(temp).join(' ')}`,
      serverBlock,
      '}',
    ].join('\n'),
  );
  let err = '';
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', conf, '-g', 'daemon off; error_log stderr;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${err.trim()}`);
    try {
      await fetch(`${url}/__nginx_up`, { redirect: 'manual' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start on ${url}: ${err.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    stderr: () => err,
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
