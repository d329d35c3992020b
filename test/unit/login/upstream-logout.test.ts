import { describe, expect, it } from 'vitest';
import { createConnectors } from '../../../src/connectors/registry.js';
import { createUpstreamLogoutUrl } from '../../../src/login/upstream.js';

describe('the tenant IdP logout a session is sent through', () => {
  const connectors = createConnectors({ timeoutMs: 1000, allowInsecure: false });
  const directory = { getTenant: async (id: string) => (id === 'acme' ? { tenantId: 'acme', domainName: 'https://idp.example.com' } : null) } as never;
  const logoutUrl = createUpstreamLogoutUrl({ directory, connectors, publicUrl: 'https://bridge.example.com' });
  const session = (method: 'oauth2' | 'cas', tenantId = 'acme') => ({ tenantId, method }) as never;
  const onward = 'https://bridge.example.com/sso/logged-out';

  it('OAuth2 returns to where the sign-out goes on to', async () => {
    const url = new URL((await logoutUrl(session('oauth2'), onward))!);
    expect(url.pathname).toBe('/api/v1/logout');
    expect(url.searchParams.get('redirect_url')).toBe(onward);
  });

  it('CAS logout sends the registered CAS service URL of the session’s tenant, never another page', async () => {
    const url = new URL((await logoutUrl(session('cas'), onward))!);
    expect(url.pathname).toBe('/api/v1/cas/logout');
    expect(url.searchParams.get('service')).toBe('https://bridge.example.com/sso/cas?tenant=acme');
  });

  it('a tenant without a sign-in address gets no upstream logout', async () => {
    expect(await logoutUrl(session('cas', 'gone'), onward)).toBeNull();
  });
});
