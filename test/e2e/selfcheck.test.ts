/**
 * The seller's self-check against real bridges (the same createApp as production, on a real Redis),
 * run as a merchant runs it: through the command line, output captured.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { selfcheck } from '../../src/cli/selfcheck/command.js';
import { ACCESS_KEY, ADMIN_TOKEN, APP_ID, startBridge, testKeyPair, type TestBridge } from '../support/bridge.js';

const CALLS = [
  'newInstance',
  'queryInstance',
  'tenantSync',
  'applicationSync',
  'authSync',
  'singleOrgSync',
  'allOrgSync',
  'refreshInstance',
  'updateInstanceStatus(FREEZE)',
  'updateInstanceStatus(UNFREEZE)',
  'upgradeInstance',
  'changeInstanceCheck',
  'releaseInstance',
];

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) }, out: () => out.join(''), err: () => err.join('') };
}

let bridge: TestBridge;
let dir: string;
let publicKeyFile: string;

beforeAll(async () => {
  bridge = await startBridge();
  dir = mkdtempSync(join(tmpdir(), 'koobridge-selfcheck-'));
  publicKeyFile = join(dir, 'koo-public.pem');
  writeFileSync(publicKeyFile, testKeyPair().publicKeyPem);
});

afterAll(async () => {
  await bridge?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const args = (b: TestBridge, ...more: string[]) => ['selfcheck', '--url', b.productionUrl, '--public-key', publicKeyFile, '--app-id', APP_ID, ...more];
const env = { KOO_ACCESS_KEY: ACCESS_KEY };
const lines = (text: string) => text.split('\n').filter((l) => /^(PASS|FAIL|WARN) /.test(l));
const testTenantOf = (text: string) => /test tenant (selfcheck-[0-9a-f]{8})/.exec(text)![1]!;

describe('koobridge selfcheck against a running bridge', () => {
  it('passes every interface in the order KooGallery calls them, with result code and answer time, and exits 0', async () => {
    const t = capture();
    expect(await runCli(args(bridge), env, t.io)).toBe(0);
    const found = lines(t.out());
    expect(found.map((l) => l.split(' ')[1])).toEqual(CALLS);
    for (const line of found) expect(line).toMatch(/^PASS \S+ 000000 \d+ ms( \(optional\))?$/);
    expect(t.out()).toContain('selfcheck: 13 passed, 0 failed\n');
  });

  it('leaves its data with the bridge as test data (testFlag 1), kept apart from production tenants', async () => {
    const t = capture();
    expect(await runCli(args(bridge), env, t.io)).toBe(0);
    const tenantId = testTenantOf(t.out());
    const { body } = await bridge.admin('/tenants');
    expect(body.testTenants.map((x: { tenantId: string }) => x.tenantId)).toContain(tenantId);
    expect(body.tenants.map((x: { tenantId: string }) => x.tenantId)).not.toContain(tenantId);
    // The clientSecret it encrypted was readable with the bridge's private key.
    const tenant = await bridge.admin(`/tenants/${tenantId}`);
    expect(tenant.body.apps).toEqual([expect.objectContaining({ appId: APP_ID, clientId: expect.stringMatching(/^selfcheck-client-/), secretReadable: true })]);
    // The user, and the documentation's non-JSON orgInfoList read as a department.
    const users = await bridge.admin(`/tenants/${tenantId}/users`);
    expect(users.body.users).toEqual([expect.objectContaining({ userName: 'selfcheck.admin', test: true })]);
    expect(JSON.stringify((await bridge.admin(`/tenants/${tenantId}/orgs`)).body.tree)).toContain('产品部');
    // Its instance, released last, is a test instance too.
    const instances = await bridge.admin('/instances?limit=500');
    const tenantInstance = tenant.body.subscription.orders[0].instanceId;
    expect(instances.body.testInstances).toContainEqual(expect.objectContaining({ instanceId: tenantInstance, status: 'released' }));
  });

  it('with --admin-token purges the test data afterwards; --json gives one document; the key may come from KOO_PRIVATE_KEY', async () => {
    const t = capture();
    const code = await runCli(['selfcheck', '--url', bridge.productionUrl, '--admin-token', ADMIN_TOKEN, '--json'], { ...env, KOO_APP_ID: `${APP_ID},other-app`, KOO_PRIVATE_KEY: testKeyPair().privateKeyPem }, t.io);
    expect(code).toBe(0);
    const doc = JSON.parse(t.out());
    expect(doc).toMatchObject({ passed: true, counts: { passed: 13, failed: 0, warnings: 0, notRun: 0 }, purge: { purged: { tenants: expect.any(Number) } } });
    expect(doc.results.map((r: { interface: string }) => r.interface)).toEqual(CALLS);
    expect(doc.purge.purged.tenants).toBeGreaterThanOrEqual(1);
    const { body } = await bridge.admin('/tenants');
    expect(body.testTenants.map((x: { tenantId: string }) => x.tenantId)).not.toContain(doc.testTenant);
  });

  it('never prints the access key, the clientSecret, a signature or a nonce', async () => {
    const t = capture();
    const clientSecret = 'f00dfeed'.repeat(6);
    const random = (n: number) => (n === 24 ? clientSecret : 'abcd0123'.slice(0, n * 2));
    expect(await selfcheck(args(bridge).slice(1), { ...env, KOO_BASIC_ACCESS_KEY: ACCESS_KEY }, t.io, { random })).toBe(0);
    const printed = t.out() + t.err();
    expect(printed).not.toContain(ACCESS_KEY);
    expect(printed).not.toContain(clientSecret);
    expect(printed).not.toMatch(/[0-9a-f]{64}/i);
  });

  it('says 000001 for every call when the bridge has another access key, names the likely cause, exits 1', async () => {
    const other = await startBridge({ env: { KOO_ACCESS_KEY: 'another-access-key-of-the-bridge' } });
    try {
      const t = capture();
      expect(await runCli(args(other), env, t.io)).toBe(1);
      const found = lines(t.out());
      expect(found.map((l) => l.split(' ')[1])).toEqual(CALLS);
      for (const line of found) expect(line).toMatch(/^FAIL \S+ 000001 "signature does not match" \d+ ms( \(optional\))?$/);
      expect(t.out()).toContain("hint: 000001: the signature was refused: the key given here is not the bridge's KOO_ACCESS_KEY");
      expect(t.out()).toContain('selfcheck: 0 passed, 13 failed\n');
    } finally {
      await other.close();
    }
  });

  it('a bridge that declines spec changes makes the optional changeInstanceCheck a warning, not a failure', async () => {
    const strict = await startBridge({ env: { KOO_ALLOW_SPEC_CHANGE: '0' } });
    try {
      const t = capture();
      expect(await runCli(args(strict), env, t.io)).toBe(0);
      expect(t.out()).toMatch(/\nWARN changeInstanceCheck 000002 "this merchant does not allow spec changes of a running instance" \d+ ms \(optional\)\n/);
      expect(t.out()).toContain('selfcheck: 12 passed, 0 failed, 1 optional declined\n');
    } finally {
      await strict.close();
    }
  });

  it('says clearly that a stopped bridge cannot be reached, sends nothing more, exits 1', async () => {
    const stopped = await startBridge();
    await stopped.close();
    const t = capture();
    expect(await runCli(args(stopped), env, t.io)).toBe(1);
    expect(lines(t.out())).toEqual([expect.stringMatching(/^FAIL newInstance ------ "cannot reach the bridge: connection refused \(ECONNREFUSED\)" \d+ ms$/)]);
    expect(t.err()).toContain(`selfcheck: cannot reach ${stopped.productionUrl}: connection refused (ECONNREFUSED). Is the bridge running`);
    expect(t.out()).toContain('selfcheck: 0 passed, 1 failed, 12 not sent\n');
  });
});
