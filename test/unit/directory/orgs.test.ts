/** Department sync rules (spec §5.4, §5.5): one department at a time, or the whole set as one unit. */
import { describe, expect, it } from 'vitest';
import { allOrgSync, directoryFixture, singleOrgSync } from '../../support/directory.js';

const org = (orgCode: string, orgName: string, parentCode = '') => ({ orgCode, orgName, parentCode });
const codes = async (directory: ReturnType<typeof directoryFixture>['directory']) => (await directory.listOrgs('acme')).map((o) => o.orgCode).sort();

describe('singleOrgSync', () => {
  it('an add or a modify writes the one department, marked test when testFlag is 1', async () => {
    const { directory } = directoryFixture();
    expect(await directory.applySingleOrgSync(singleOrgSync({ orgCode: 'east', orgName: 'East', parentCode: 'hq' }))).toEqual({ change: 'written' });
    expect(await directory.applySingleOrgSync(singleOrgSync({ flag: 2, orgCode: 'east', orgName: 'East Region', parentCode: '', testFlag: 1 }))).toEqual({ change: 'written' });
    expect(await directory.listOrgs('acme')).toEqual([{ orgCode: 'east', orgName: 'East Region', parentCode: '', test: true }]);
  });

  it('a delete removes the department and keeps its children, shown at the top as orphans', async () => {
    const { directory } = directoryFixture();
    await directory.applyAllOrgSync(allOrgSync([org('hq', 'HQ'), org('sales', 'Sales', 'hq'), org('rd', 'R&D', 'hq')]));
    expect(await directory.applySingleOrgSync(singleOrgSync({ flag: 0, orgCode: 'hq', orgName: null }))).toEqual({ change: 'deleted' });
    expect(await codes(directory)).toEqual(['rd', 'sales']);
    expect((await directory.getOrgTree('acme')).map((n) => [n.orgCode, n.orphan])).toEqual([
      ['rd', true],
      ['sales', true],
    ]);
  });

  it('deleting a department that does not exist is a no-op that succeeds', async () => {
    const { directory } = directoryFixture();
    expect(await directory.applySingleOrgSync(singleOrgSync({ flag: 0, orgCode: 'nowhere', orgName: null }))).toEqual({ change: 'deleted' });
    expect(await directory.listOrgs('acme')).toEqual([]);
  });
});

describe('allOrgSync', () => {
  it('stores the snapshot and builds the tree from it', async () => {
    const { directory } = directoryFixture();
    expect(await directory.applyAllOrgSync(allOrgSync([org('hq', 'HQ'), org('sales', 'Sales', 'hq'), org('rd', 'R&D', 'hq')]))).toEqual({ count: 3 });
    const tree = await directory.getOrgTree('acme');
    expect(tree).toMatchObject([{ orgCode: 'hq', children: [{ orgCode: 'rd' }, { orgCode: 'sales' }] }]);
  });

  it('a second snapshot replaces the whole set: departments it leaves out are gone', async () => {
    const { directory } = directoryFixture();
    await directory.applyAllOrgSync(allOrgSync([org('hq', 'HQ'), org('sales', 'Sales', 'hq'), org('rd', 'R&D', 'hq')]));
    await directory.applyAllOrgSync(allOrgSync([org('hq', 'Headquarters'), org('ops', 'Operations', 'hq')]));
    expect(await directory.listOrgs('acme')).toEqual(
      expect.arrayContaining([
        { orgCode: 'hq', orgName: 'Headquarters', parentCode: '', test: false },
        { orgCode: 'ops', orgName: 'Operations', parentCode: 'hq', test: false },
      ]),
    );
    expect(await codes(directory)).toEqual(['hq', 'ops']);
  });

  it('an empty snapshot clears the departments', async () => {
    const { directory } = directoryFixture();
    await directory.applyAllOrgSync(allOrgSync([org('hq', 'HQ')]));
    expect(await directory.applyAllOrgSync(allOrgSync([]))).toEqual({ count: 0 });
    expect(await directory.listOrgs('acme')).toEqual([]);
  });

  it('indexes the tenant, so departments arriving first show it as pending', async () => {
    const { directory } = directoryFixture();
    await directory.applyAllOrgSync(allOrgSync([org('hq', 'HQ')], { tenantId: 'early' }));
    expect(await directory.findTenant('early')).toEqual({ tenantId: 'early', synced: false, tenant: null });
  });
});
