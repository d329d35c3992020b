import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { judge } from '../../../src/cli/selfcheck/judge.js';
import { DOC_ORG_INFO_LIST, selfcheckPlan, type SelfcheckStep } from '../../../src/cli/selfcheck/plan.js';
import { redact, summaryLine, verdictLine } from '../../../src/cli/selfcheck/report.js';
import { kooExpireTime, kooTimeStamp, makeSelfcheckData } from '../../../src/cli/selfcheck/test-data.js';
import { testKeyPair } from '../../support/bridge.js';

const NOW = Date.UTC(2026, 11, 1, 2, 3, 4, 567);
const data = makeSelfcheckData('app-1', (n) => 'ab'.repeat(n));
const plan = selfcheckPlan(data, { now: () => NOW, encrypt: (s) => `encrypted(${s.length})` });
const step = (label: string): SelfcheckStep => plan.find((s) => s.label === label)!;
const state = { instanceId: 'inst-1' };

describe('selfcheck plan: what KooGallery’s interface debugging sends', () => {
  it('purchases first, binds, syncs, runs the lifecycle, releases last', () => {
    expect(plan.map((s) => s.label)).toEqual([
      'newInstance', 'queryInstance', 'tenantSync', 'applicationSync', 'authSync', 'singleOrgSync', 'allOrgSync',
      'refreshInstance', 'updateInstanceStatus(FREEZE)', 'updateInstanceStatus(UNFREEZE)', 'upgradeInstance', 'changeInstanceCheck', 'releaseInstance',
    ]);
    expect(plan.filter((s) => s.optional).map((s) => s.label)).toEqual(['changeInstanceCheck']);
  });

  it('marks everything as test data: testFlag 1 on kit bodies, "1" on basic bodies; a fresh selfcheck tenant', () => {
    for (const s of plan) expect(s.body(state).testFlag).toBe(s.kit === null ? '1' : 1);
    expect(data.tenantId).toBe('selfcheck-abababab');
    expect(step('tenantSync').body(state)).toMatchObject({ tenantId: data.tenantId, instanceId: 'inst-1', flag: 1 });
  });

  it('sends a domainName without a scheme, as the debugging does', () => {
    expect(step('tenantSync').body(state).domainName).toBe('example.tenantaccount.com');
  });

  it('sends a self-chosen clientId and the clientSecret only encrypted', () => {
    const body = step('applicationSync').body(state);
    expect(body).toMatchObject({ appId: 'app-1', clientId: data.clientId, clientSecret: `encrypted(${data.clientSecret.length})` });
    expect(JSON.stringify(body)).not.toContain(data.clientSecret);
  });

  it('sends allOrgSync’s orgInfoList as the documentation’s literal string, which is not JSON', () => {
    const list = step('allOrgSync').body(state).orgInfoList;
    expect(list).toBe('[{orgCode:"00000001", orgName:"产品部", parentCode:""}]');
    expect(() => JSON.parse(DOC_ORG_INFO_LIST)).toThrow();
  });

  it('sends a 17-digit UTC expireTime and GMT+8 timeStamps', () => {
    expect(step('refreshInstance').body(state).expireTime).toMatch(/^20271201\d{9}$/);
    expect(kooExpireTime(NOW)).toBe('20261201020304567');
    expect(kooTimeStamp(NOW)).toBe('20261201100304567');
    expect(step('authSync').body(state)).toMatchObject({ currentSyncTime: '20261201100304567', timeStamp: '20261201100304567' });
  });

  it('freezes, then unfreezes the instance newInstance created', () => {
    expect(step('updateInstanceStatus(FREEZE)').body(state)).toEqual({ activity: 'updateInstanceStatus', instanceId: 'inst-1', status: 'FREEZE', testFlag: '1' });
    expect(step('updateInstanceStatus(UNFREEZE)').body(state).status).toBe('UNFREEZE');
    const s = { instanceId: data.businessId };
    step('newInstance').learn!({ resultCode: '000000', instanceId: 'from-the-bridge' }, s);
    expect(step('releaseInstance').body(s).instanceId).toBe('from-the-bridge');
  });
});

describe('selfcheck judge: what KooGallery takes as a success', () => {
  const answered = (json: unknown, ms = 5, status = 200) => ({ kind: 'answered' as const, status, text: typeof json === 'string' ? json : JSON.stringify(json), ms });
  const verdictOf = (label: string, delivery: Parameters<typeof judge>[1]) => judge(step(label), delivery, state, 5000).verdict;

  it('HTTP 200, resultCode 000000, in time', () => {
    expect(verdictOf('tenantSync', answered({ resultCode: '000000', resultMsg: 'success' }))).toMatchObject({ verdict: 'PASS', resultCode: '000000', ms: 5 });
  });

  it('fails every other answer, saying why', () => {
    expect(verdictOf('authSync', answered({ resultCode: '000002', resultMsg: 'userList[0].role: must be user or admin' }))).toMatchObject({ verdict: 'FAIL', resultCode: '000002', message: 'userList[0].role: must be user or admin' });
    expect(verdictOf('tenantSync', answered({ resultCode: '000000' }, 5, 500)).message).toContain('HTTP 500');
    expect(verdictOf('tenantSync', answered('<html>')).message).toBe('the answer is not a JSON object');
    expect(verdictOf('tenantSync', answered({ ok: true })).message).toBe('the answer has no resultCode');
    expect(verdictOf('tenantSync', answered({ resultCode: '000000' }, 5001)).message).toBe('answered after 5001 ms, later than the 5 s timeout');
    expect(verdictOf('tenantSync', { kind: 'timeout', ms: 5000 }).message).toBe('no answer within 5 s (KooGallery gives up after 5 s)');
    expect(verdictOf('tenantSync', { kind: 'unreachable', reason: 'connection refused (ECONNREFUSED)', ms: 1 })).toMatchObject({ verdict: 'FAIL', resultCode: null });
  });

  it('checks what newInstance and queryInstance must answer', () => {
    expect(verdictOf('newInstance', answered({ resultCode: '000000', resultMsg: 'success' })).message).toBe('the answer carries no instanceId');
    expect(verdictOf('queryInstance', answered({ resultCode: '000000', info: [{ instanceId: 'other', appInfo: { frontEndUrl: 'https://x' } }] })).message).toContain('does not list the instance');
    expect(verdictOf('queryInstance', answered({ resultCode: '000000', info: [{ instanceId: 'inst-1', appInfo: {} }] })).message).toContain('no frontEndUrl');
    expect(verdictOf('queryInstance', answered({ resultCode: '000000', info: [{ instanceId: 'inst-1', appInfo: { frontEndUrl: 'https://x' } }] })).verdict).toBe('PASS');
  });

  it('lets the optional changeInstanceCheck decline, but not fail its signature or break', () => {
    expect(verdictOf('changeInstanceCheck', answered({ resultCode: '000002', resultMsg: 'no spec changes' })).verdict).toBe('WARN');
    expect(verdictOf('changeInstanceCheck', answered({ resultCode: '000001', resultMsg: 'signature does not match' })).verdict).toBe('FAIL');
    expect(verdictOf('changeInstanceCheck', answered({ resultCode: '000005', resultMsg: 'internal' })).verdict).toBe('FAIL');
    expect(verdictOf('changeInstanceCheck', { kind: 'timeout', ms: 5000 }).verdict).toBe('FAIL');
  });
});

describe('selfcheck report', () => {
  const base = { label: 'authSync', ms: 12, optional: false };

  it('prints one line per call: verdict, interface, result code, quoted message on failure, time', () => {
    expect(verdictLine({ ...base, verdict: 'PASS', resultCode: '000000', message: 'success' }, [])).toBe('PASS authSync 000000 12 ms');
    expect(verdictLine({ ...base, verdict: 'FAIL', resultCode: '000002', message: 'userList[0].role: must be user or admin' }, [])).toBe('FAIL authSync 000002 "userList[0].role: must be user or admin" 12 ms');
    expect(verdictLine({ ...base, verdict: 'FAIL', resultCode: null, message: 'x' }, [])).toBe('FAIL authSync ------ "x" 12 ms');
    expect(verdictLine({ ...base, optional: true, verdict: 'WARN', resultCode: '000002', message: 'x' }, [])).toBe('WARN authSync 000002 "x" 12 ms (optional)');
  });

  it('never prints a secret a server echoes, nor raw control characters, and cuts long messages', () => {
    const line = verdictLine({ ...base, verdict: 'FAIL', resultCode: '000002', message: `bad key the-access-key\u001b[31m ${'x'.repeat(400)}` }, ['the-access-key']);
    expect(line).not.toContain('the-access-key');
    expect(line).not.toContain('\u001b');
    expect(line).toContain('[redacted]');
    expect(line.length).toBeLessThan(360);
    expect(redact('abc', ['', 'ab'.slice(0, 1)])).toBe('abc'); // too short to be a secret: left alone
  });

  it('sums up', () => {
    expect(summaryLine({ passed: 13, failed: 0, warnings: 0, notRun: 0 })).toBe('selfcheck: 13 passed, 0 failed');
    expect(summaryLine({ passed: 0, failed: 1, warnings: 0, notRun: 12 })).toBe('selfcheck: 0 passed, 1 failed, 12 not sent');
    expect(summaryLine({ passed: 12, failed: 0, warnings: 1, notRun: 0 })).toBe('selfcheck: 12 passed, 0 failed, 1 optional declined');
  });
});

describe('selfcheck timeout', () => {
  const sockets = new Set<import('node:net').Socket>();
  // A server that accepts every connection and never answers.
  const silent: Server = createServer((socket) => void sockets.add(socket));
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('fails a call that gets no answer within --timeout, and goes on with the next', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/produce`;
    const out: string[] = [];
    const io = { out: (t: string) => void out.push(t), err: () => {} };
    const code = await runCli(['selfcheck', '--url', url, '--timeout', '100ms', '--app-id', 'a'], { KOO_ACCESS_KEY: 'k', KOO_PRIVATE_KEY: testKeyPair().privateKeyPem }, io);
    expect(code).toBe(1);
    const fails = out.join('').split('\n').filter((l) => l.startsWith('FAIL '));
    expect(fails).toHaveLength(13);
    expect(fails[0]).toMatch(/^FAIL newInstance ------ "no answer within 100 ms \(KooGallery gives up after 5 s\)" \d+ ms$/);
  });

  it('is in the usage text', async () => {
    const out: string[] = [];
    expect(await runCli(['help'], {}, { out: (t) => void out.push(t), err: () => {} })).toBe(0);
    expect(out.join('')).toContain('koobridge selfcheck --url PRODUCTION_URL');
  });
});
