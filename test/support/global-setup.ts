/**
 * Vitest global setup: one redis-server for the whole run, on a free port, without persistence,
 * and the run's RSA key pairs (generated once, handed to the workers with provide / inject).
 *
 * TEST_REDIS_URL points the tests at a Redis you own instead. When redis-server is missing and we
 * are root on a Debian-like machine (CI containers), it is installed with apt-get; otherwise the
 * run stops with one line saying how to get it. Debian's chromium, for the browser suite, is
 * installed the same way when missing (test/support/chromium.ts says how to get it otherwise), and so
 * are Debian's apache2 and libapache2-mod-auth-cas (test/support/apache.ts says what is missing otherwise).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import type { TestProject } from 'vitest/node';
import { findOnPath, REDIS_MISSING_MESSAGE, startRedisServer, stopRedisServer } from './redis-server.js';
import { hasChromium } from './chromium.js';
import { APACHE_PACKAGES, hasApacheCas } from './apache.js';
import { generateTestKeys, type TestKeys } from './test-keys.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    testKeys: TestKeys;
  }
}

function run(cmd: string, args: string[]): void {
  console.log(`[global-setup] ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) console.log(`[global-setup] ${cmd} exited with ${result.status ?? result.signal}`);
}

let aptUpdated = false;
function aptInstallIfPossible(pkg: string, present: () => boolean): void {
  if (present()) return;
  const apt = findOnPath('apt-get');
  if (process.getuid?.() !== 0 || !apt) return;
  console.log(`[global-setup] ${pkg} is missing; installing it with apt-get`);
  if (!aptUpdated) run(apt, ['update']);
  aptUpdated = true;
  run(apt, ['install', '-y', ...pkg.split(' ')]);
}

/**
 * The admin console's front-end (console/ → dist/console-ui/), which the bridge serves and the
 * browser suite drives: compiled for every run (incremental: a second or two), so the tests never
 * run a stale or missing bundle, on a fresh clone too.
 */
function buildConsole(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'console/tsconfig.json'], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error('the admin console front-end (console/) did not compile: see above');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Generated while redis-server starts.
  const keys = generateTestKeys();
  buildConsole();
  // The browser suite fails with one clear line when it is still missing.
  aptInstallIfPossible('chromium', hasChromium);
  // Apache with mod_auth_cas, the real CAS client of test/e2e/browser/cas-apache.test.ts.
  aptInstallIfPossible(APACHE_PACKAGES.join(' '), hasApacheCas);
  const external = process.env.TEST_REDIS_URL;
  if (external) {
    project.provide('redisUrl', external);
    project.provide('testKeys', await keys);
    return async () => {};
  }
  aptInstallIfPossible('redis-server', () => !!findOnPath('redis-server'));
  if (!findOnPath('redis-server')) throw new Error(REDIS_MISSING_MESSAGE);
  const server = await startRedisServer();
  project.provide('redisUrl', server.url);
  project.provide('testKeys', await keys);
  return async () => {
    await stopRedisServer(server);
  };
}
