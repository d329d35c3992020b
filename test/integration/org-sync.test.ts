/**
 * Department syncs end to end through the signed webhook, on Redis and on the memory store. The
 * bridge is shared; every test has a tenant of its own, so each stands alone and in any order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBridge, tenantBody, uniqueTenantId, type Backend, type TestBridge } from '../support/bridge.js';

const org = (orgCode: string, orgName: string, parentCode = '') => ({ orgCode, orgName, parentCode });

describe.each<Backend>(['redis', 'memory'])('department sync on %s', (backend) => {
  let bridge: TestBridge;
  let tenantId: string;
  beforeAll(async () => {
    bridge = await startBridge({ backend });
  });
  afterAll(() => bridge?.close());
  beforeEach(async () => {
    tenantId = uniqueTenantId('acme');
    expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId }))).resultCode).toBe('000000');
  });

  const codes = async () => (await bridge.directory.listOrgs(tenantId)).map((o) => o.orgCode).sort();
  const send = async (name: 'allOrgSync' | 'singleOrgSync', body: Record<string, unknown>) => {
    expect((await bridge.sender.send(name, { tenantId, testFlag: 0, ...body })).resultCode).toBe('000000');
  };

  it('allOrgSync stores the snapshot (orgInfoList as a string, OrgName spelling, stray flag ignored)', async () => {
    const list = JSON.stringify([org('hq', 'Headquarters'), { orgCode: 'sales', OrgName: 'Sales', parentCode: 'hq' }, org('rd', 'R&D', 'hq')]);
    await send('allOrgSync', { instanceId: 'inst-acme-001', orgInfoList: list, flag: 1, timeStamp: '20261121093539534' });
    expect(await codes()).toEqual(['hq', 'rd', 'sales']);
    const tree = await bridge.directory.getOrgTree(tenantId);
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ orgCode: 'hq', children: [{ orgCode: 'rd' }, { orgCode: 'sales', orgName: 'Sales' }] });
  });

  it('a second allOrgSync replaces the whole set as one unit', async () => {
    await send('allOrgSync', { orgInfoList: [org('hq', 'Headquarters'), org('sales', 'Sales', 'hq'), org('rd', 'R&D', 'hq')] });
    await send('allOrgSync', { orgInfoList: [org('hq', 'Headquarters'), org('ops', 'Operations', 'hq')] });
    expect(await codes()).toEqual(['hq', 'ops']);
  });

  it('singleOrgSync adds, moves and deletes one department', async () => {
    await send('allOrgSync', { orgInfoList: [org('hq', 'Headquarters'), org('ops', 'Operations', 'hq')] });
    await send('singleOrgSync', { orgCode: 'east', orgName: 'East', parentCode: 'ops', flag: 1 });
    await send('singleOrgSync', { orgCode: 'east', orgName: 'East Region', parentCode: 'hq', flag: 2 });
    let tree = await bridge.directory.getOrgTree(tenantId);
    expect(tree[0]!.children.map((c) => c.orgCode)).toEqual(['east', 'ops']);
    await send('singleOrgSync', { orgCode: 'hq', flag: 0 });
    tree = await bridge.directory.getOrgTree(tenantId);
    expect(tree.map((n) => [n.orgCode, n.orphan])).toEqual([
      ['east', true],
      ['ops', true],
    ]);
  });

  it('an empty allOrgSync clears the departments', async () => {
    await send('allOrgSync', { orgInfoList: [org('hq', 'Headquarters'), org('ops', 'Operations', 'hq')] });
    await send('allOrgSync', { orgInfoList: [] });
    expect(await codes()).toEqual([]);
  });
});
