/**
 * A login returning to one of the provider's interactions is for that interaction's client, as
 * oidc-provider stored it; only a configured client is ever named.
 */
import type Provider from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { clientOfInteraction } from '../../../src/oidc/client-of-interaction.js';

const PUBLIC_URL = 'https://bridge.example.com';

function resolver(interactions: Record<string, { params: Record<string, unknown> }>, configured = ['web-app']) {
  const looked: string[] = [];
  const provider = { Interaction: { find: async (uid: string) => (looked.push(uid), interactions[uid]) } } as unknown as Provider;
  return { clientOf: clientOfInteraction(() => provider, PUBLIC_URL, new Set(configured)), looked };
}

describe('the client a login returning to an interaction is for', () => {
  it('is the interaction’s client_id', async () => {
    const { clientOf } = resolver({ 'uid-1': { params: { client_id: 'web-app', redirect_uri: 'https://app.example.com/cb' } } });
    expect(await clientOf(`${PUBLIC_URL}/oidc/interaction/uid-1`)).toBe('web-app');
  });

  it('is none for an interaction that is gone, or whose client is no longer configured', async () => {
    const { clientOf } = resolver({ 'uid-2': { params: { client_id: 'removed-app' } } });
    expect(await clientOf(`${PUBLIC_URL}/oidc/interaction/uid-1`)).toBeUndefined();
    expect(await clientOf(`${PUBLIC_URL}/oidc/interaction/uid-2`)).toBeUndefined();
  });

  it('is none, without a store lookup, for a URL that is not one of this provider’s interactions', async () => {
    const { clientOf, looked } = resolver({ 'uid-1': { params: { client_id: 'web-app' } } });
    for (const url of [
      `https://elsewhere.example/oidc/interaction/uid-1`,
      `${PUBLIC_URL}/oidc/interaction/uid-1/login`,
      `${PUBLIC_URL}/oidc/interaction/uid-1?x=1`,
      `${PUBLIC_URL}/cas/login?service=https%3A%2F%2Fapp.example.com%2F`,
      'https://app.example.com/cb',
    ]) {
      expect(await clientOf(url), url).toBeUndefined();
    }
    expect(looked).toEqual([]);
  });
});
