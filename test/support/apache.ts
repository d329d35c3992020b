/**
 * Debian's Apache with mod_auth_cas (packages apache2 and libapache2-mod-auth-cas) as a child
 * process for tests: a real CAS client nobody here wrote, protecting a location. Installed with
 * apt-get when missing and the tests run as root (as nginx is, test/support/nginx.ts); otherwise the
 * test stops with one line saying what to install.
 *
 * The protected location is proxied to a small backend (the "app") that shows what Apache hands an
 * application: the user (`CASAuthNHeader`) and the released attributes (`CAS_<name>` headers).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
export const APACHE_PACKAGES = ['apache2', 'libapache2-mod-auth-cas'];
export const APACHE_MISSING_MESSAGE = `Apache with mod_auth_cas not found (${APACHE}, ${MODULES}/mod_auth_cas.so): run \`apt-get install ${APACHE_PACKAGES.join(' ')}\` (Debian) as root, then the tests again`;

export const hasApacheCas = (): boolean => existsSync(APACHE) && existsSync(join(MODULES, 'mod_auth_cas.so'));

/** Apache and mod_auth_cas; installed with apt-get when missing and root, else one clear failure. */
export function ensureApacheCas(): void {
  if (!hasApacheCas() && process.getuid?.() === 0) {
    try {
      execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${APACHE_PACKAGES.join(' ')}`], { stdio: 'ignore', timeout: 300_000 });
    } catch {
      // reported below
    }
  }
  if (!hasApacheCas()) throw new Error(APACHE_MISSING_MESSAGE);
}

export interface RunningApache {
  /** The protected location's origin, e.g. http://127.0.0.1:PORT (pages under /protected/). */
  url: string;
  /** Files in mod_auth_cas's cache directory: one per Apache-side session (and one per ticket). */
  cacheEntries(): string[];
  log(): string;
  close(): Promise<void>;
}

/** The backend behind Apache: answers every page with the CAS headers Apache set, as HTML. */
async function startBackend(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const cas = Object.entries(req.headers).filter(([name]) => name.startsWith('cas'));
    const esc = (v: unknown) => String(v).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const rows = cas.map(([name, value]) => `<tr><th>${esc(name)}</th><td>${esc(value)}</td></tr>`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Protected by mod_auth_cas</title></head><body><h1>Protected page</h1><p id="user">${esc(req.headers['cas-user'] ?? '')}</p><table>${rows}</table></body></html>`);
  }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/**
 * Runs Apache in the foreground on `port`: `/protected/` requires a CAS login at `casUrl`
 * (`/cas/login`, `/cas/serviceValidate`), single sign-out on.
 */
export async function startApacheCas(opts: { port: number; casUrl: string }): Promise<RunningApache> {
  ensureApacheCas();
  const backend = await startBackend();
  const dir = mkdtempSync(join(tmpdir(), 'kb-apache-'));
  const cache = join(dir, 'cas-cache');
  mkdirSync(cache);
  // Apache's children run as www-data when started by root: they write the cache.
  chmodSync(dir, 0o755);
  chmodSync(cache, 0o777);
  const conf = join(dir, 'httpd.conf');
  const mod = (name: string, file: string) => `LoadModule ${name}_module ${MODULES}/${file}`;
  writeFileSync(
    conf,
    [
      mod('mpm_event', 'mod_mpm_event.so'),
      mod('authn_core', 'mod_authn_core.so'),
      mod('authz_core', 'mod_authz_core.so'),
      mod('authz_user', 'mod_authz_user.so'),
      mod('auth_cas', 'mod_auth_cas.so'),
      mod('proxy', 'mod_proxy.so'),
      mod('proxy_http', 'mod_proxy_http.so'),
      `ServerRoot ${dir}`,
      `PidFile ${join(dir, 'httpd.pid')}`,
      `Mutex file:${dir}`,
      'User www-data',
      'Group www-data',
      `Listen 127.0.0.1:${opts.port}`,
      'ServerName 127.0.0.1',
      `ErrorLog ${join(dir, 'error.log')}`,
      'LogLevel warn auth_cas:debug',
      'StartServers 1',
      'ServerLimit 1',
      'ThreadsPerChild 16',
      'MaxRequestWorkers 16',
      `CASLoginURL ${opts.casUrl}/cas/login`,
      `CASValidateURL ${opts.casUrl}/cas/serviceValidate`,
      'CASVersion 2',
      `CASCookiePath ${cache}/`,
      'CASSSOEnabled On',
      'CASDebug On',
      '<Location /protected/>',
      '  AuthType CAS',
      '  Require valid-user',
      '  CASAuthNHeader CAS-User',
      `  ProxyPass ${backend.url}/`,
      '</Location>',
    ].join('\n'),
  );
  let log = '';
  const child: ChildProcess = spawn(APACHE, ['-f', conf, '-DFOREGROUND'], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`apache2 exited (${child.exitCode}): ${log.trim()} ${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`);
    try {
      await fetch(`${url}/__apache_up`, { redirect: 'manual' });
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`apache2 did not start: ${log.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    cacheEntries: () => readdirSync(cache),
    log: () => log + (existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''),
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      backend.server.closeAllConnections();
      await new Promise<void>((resolve) => backend.server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
