import { describe, expect, it } from 'vitest';
import { accountIdOf, parseAccountId } from '../../../src/oidc/account.js';

describe('OpenID subject', () => {
  it('round-trips (tenant, userName), including non-ASCII names', () => {
    for (const [t, u] of [['acme', 'zhang.san'], ['globex', '张三'], ['a.b', 'x.y@z']] as const) {
      expect(parseAccountId(accountIdOf(t, u))).toEqual({ tenantId: t, userName: u });
    }
  });

  it('differs for the same userName in two tenants and refuses non-canonical spellings', () => {
    expect(accountIdOf('acme', 'li.si')).not.toBe(accountIdOf('globex', 'li.si'));
    expect(parseAccountId('acme.bGkuc2k=')).toBeNull();
    expect(parseAccountId('no-dot')).toBeNull();
    expect(parseAccountId('{bad}.bGkuc2k')).toBeNull();
  });
});
