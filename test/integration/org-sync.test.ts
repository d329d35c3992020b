import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, tenantBody, type Backend, type TestBridge } from '../support/bridge.js';

const org = (orgCode: string, orgName: string, parentCode = '') => ({ orgCode, orgName, parentCode });

describe.each<Backend>(['redis', 'memory'])('department sync on %s', (backend) => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend });
    await bridge.sender.send('tenantSync', tenantBody());
  });
  afterAll(() => bridge.close());

  const codes = async () => (await bridge.directory.listOrgs('acme')).map((o) => o.orgCode).sort();

  it('allOrgSync stores the snapshot (orgInfoList as a string, OrgName spelling, stray flag ignored)', async () => {
    const list = JSON.stringify([org('hq', 'Headquarters'), { orgCode: 'sales', OrgName: 'Sales', parentCode: 'hq' }, org('rd', 'R&D', 'hq')]);
    const answer = await bridge.sender.send('allOrgSync', { instanceId: 'inst-acme-001', tenantId: 'acme', orgInfoList: list, flag: 1, testFlag: 0, timeStamp: '20261121093539534' });
    expect(answer.resultCode).toBe('000000');
    expect(await codes()).toEqual(['hq', 'rd', 'sales']);
    const tree = await bridge.directory.getOrgTree('acme');
    expect(tree).toHaveLength(1);
    expect(tree[0]).toMatchObject({ orgCode: 'hq', children: [{ orgCode: 'rd' }, { orgCode: 'sales', orgName: 'Sales' }] });
  });

  it('a second allOrgSync replaces the whole set as one unit', async () => {
    await bridge.sender.send('allOrgSync', { tenantId: 'acme', orgInfoList: [org('hq', 'Headquarters'), org('ops', 'Operations', 'hq')], testFlag: 0 });
    expect(await codes()).toEqual(['hq', 'ops']);
  });

  it('singleOrgSync adds, moves and deletes one department', async () => {
    await bridge.sender.send('singleOrgSync', { tenantId: 'acme', orgCode: 'east', orgName: 'East', parentCode: 'ops', flag: 1, testFlag: 0 });
    await bridge.sender.send('singleOrgSync', { tenantId: 'acme', orgCode: 'east', orgName: 'East Region', parentCode: 'hq', flag: 2, testFlag: 0 });
    let tree = await bridge.directory.getOrgTree('acme');
    expect(tree[0]!.children.map((c) => c.orgCode)).toEqual(['east', 'ops']);
    await bridge.sender.send('singleOrgSync', { tenantId: 'acme', orgCode: 'hq', flag: 0, testFlag: 0 });
    tree = await bridge.directory.getOrgTree('acme');
    expect(tree.map((n) => [n.orgCode, n.orphan])).toEqual([
      ['east', true],
      ['ops', true],
    ]);
  });

  it('an empty allOrgSync clears the departments', async () => {
    expect((await bridge.sender.send('allOrgSync', { tenantId: 'acme', orgInfoList: [], testFlag: 0 })).resultCode).toBe('000000');
    expect(await codes()).toEqual([]);
  });
});
