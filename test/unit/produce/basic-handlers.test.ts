/** What each basic activity hands on: the order fetch after a purchase, an upgrade or a renewal. */
import { describe, expect, it } from 'vitest';
import { handleBasic, type BasicDeps } from '../../../src/produce/basic-handlers.js';
import { directoryFixture } from '../../support/directory.js';

function fixture() {
  const { directory } = directoryFixture();
  const fetched: Array<[string, string, string | null]> = [];
  const deps: BasicDeps = {
    directory,
    instanceInfo: { frontEndUrl: 'https://bridge.example.com/sso/login', adminUrl: null, memo: null },
    allowSpecChange: true,
    onOrderChanged: async (instanceId, orderId, orderLineId) => void fetched.push([instanceId, orderId, orderLineId]),
  };
  return { deps, fetched };
}

const newInstance = (orderId: string, testFlag: string) => ({ activity: 'newInstance', orderId, orderLineId: `${orderId}-000001`, businessId: `biz-${orderId}`, testFlag });

describe('the order fetch after basic calls', () => {
  it('a production purchase is fetched once, not again on KooGallery’s retries', async () => {
    const { deps, fetched } = fixture();
    await handleBasic(deps, newInstance('CS26120100001', '0'));
    await handleBasic(deps, { ...newInstance('CS26120100001', '0'), businessId: 'biz-retry' });
    expect(fetched).toEqual([['biz-CS26120100001', 'CS26120100001', 'CS26120100001-000001']]);
  });

  it('a debug purchase is fetched only for KooGallery’s mock orders (made-up ids are unknown to the order query)', async () => {
    const { deps, fetched } = fixture();
    await handleBasic(deps, newInstance('SELFCHECK-1', '1'));
    await handleBasic(deps, newInstance('MOCKPERIODYEARNEW', '1'));
    expect(fetched.map(([, orderId]) => orderId)).toEqual(['MOCKPERIODYEARNEW']);
  });

  it('a renewal and an upgrade that change the instance fetch their order; repeats do not', async () => {
    const { deps, fetched } = fixture();
    await handleBasic(deps, newInstance('CS1', '0'));
    const renewal = { activity: 'refreshInstance', instanceId: 'biz-CS1', orderId: 'CS2', orderLineId: 'CS2-000001', scene: 'RENEWAL', expireTime: '20271201000000' };
    await handleBasic(deps, renewal);
    await handleBasic(deps, renewal);
    const upgrade = { activity: 'upgradeInstance', instanceId: 'biz-CS1', orderId: 'CS3', orderLineId: 'CS3-000001' };
    await handleBasic(deps, upgrade);
    await handleBasic(deps, upgrade);
    expect(fetched.map(([, orderId]) => orderId)).toEqual(['CS1', 'CS2', 'CS3']);
  });
});
