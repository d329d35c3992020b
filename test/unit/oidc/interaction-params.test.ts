import { describe, expect, it } from 'vitest';
import { tenantHint } from '../../../src/oidc/interaction-params.js';

describe('tenant hint of an authorization request', () => {
  it('takes the tenant hint from tenant= or login_hint=tenant:ID, valid ids only', () => {
    expect(tenantHint({ tenant: 'acme' })).toBe('acme');
    expect(tenantHint({ login_hint: 'tenant:globex' })).toBe('globex');
    expect(tenantHint({ login_hint: 'zhang.san' })).toBeNull();
    expect(tenantHint({ tenant: 'a{b}' })).toBeNull();
  });
});
