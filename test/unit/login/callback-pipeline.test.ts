/**
 * The callback pipeline's rules, one check at a time, without HTTP: fake collaborators, a real
 * attempt object. The end-to-end suites drive the same checks through real browsers' requests.
 */
import { describe, expect, it } from 'vitest';
import type { CallbackAttempt } from '../../../src/login/callback/attempt.js';
import { callbackAttempt, connectors, ownStates, PUBLIC_URL } from '../../support/callback-attempt.js';
import { bindToBrowser } from '../../../src/login/callback/bind-to-browser.js';
import { grantedByTenant, loadTarget, requireProof, requireTenant, sameTenantAtIdp } from '../../../src/login/callback/checks.js';
import { CALLBACK_CHECKS } from '../../../src/login/callback/pipeline.js';
import { confirmUntiedIdentity } from '../../../src/login/callback/confirm-untied.js';
import type { LoginDeps } from '../../../src/login/deps.js';
import type { PreLogin } from '../../../src/login/prelogin.js';
import { KbError, type ErrorCode } from '../../../src/shared/errors.js';
import { createOwnStates } from '../../../src/login/callback/own-states.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';


function deps(over: { idpInitiated?: boolean; directory?: Partial<LoginDeps['directory']> } = {}): LoginDeps {
  return {
    settings: { publicUrl: PUBLIC_URL, appId: 'app-1', unifiedLoginUrl: 'https://koo.example.com/login', allowedReturnUrls: [], landingUrl: `${PUBLIC_URL}/sso/me`, idpInitiated: over.idpInitiated ?? true, idleTimeoutMs: 60_000 },
    directory: over.directory as LoginDeps['directory'],
    connectors,
    ownStates,
  } as unknown as LoginDeps;
}

const ctx = (path = '/sso/callback', querystring = '') => ({ path, querystring }) as never;

const attempt = callbackAttempt;

const pre = (over: Partial<PreLogin>): PreLogin => ({ state: null, tenantId: null, protocol: 'oauth2', returnTo: null, createdAt: 0, ...over });

async function refusedWith(code: ErrorCode, run: () => unknown): Promise<KbError> {
  try {
    await run();
  } catch (err) {
    expect(err).toBeInstanceOf(KbError);
    expect((err as KbError).code).toBe(code);
    return err as KbError;
  }
  throw new Error(`expected ${code}`);
}

describe('the pipeline', () => {
  it('runs its checks in this order, the same for every protocol', () => {
    expect(CALLBACK_CHECKS.map((c) => c.name)).toEqual([
      'takePreLogin',
      'refuseUpstreamError',
      'requireProof',
      'bindToBrowser',
      'requireTenant',
      'loadTarget',
      'subscriptionActive',
      'redeemProofOnce',
      'askTheIdp',
      'sameTenantAtIdp',
      'grantedByTenant',
      'confirmUntiedIdentity',
      'openSession',
    ]);
  });
});

describe('bindToBrowser', () => {
  it('a login started at the tenant IdP needs its own state back, and then uses our redirect_uri and return target', () => {
    const a = attempt({ state: 's-1', preLogin: pre({ state: 's-1', tenantId: 'acme', returnTo: 'https://app.example.com/' }) });
    bindToBrowser(deps(), ctx(), a);
    expect(a).toMatchObject({ tenantId: 'acme', returnUrl: `${PUBLIC_URL}/sso/callback`, returnTo: 'https://app.example.com/' });
  });

  it('refuses a state that differs from the one this browser was given', async () => {
    await refusedWith('login_state_invalid', () => bindToBrowser(deps(), ctx(), attempt({ state: 's-2', preLogin: pre({ state: 's-1', tenantId: 'acme' }) })));
  });

  it('refuses a state we issued when this browser has no login pending for it (another browser’s, or already used)', async () => {
    await refusedWith('login_state_invalid', () => bindToBrowser(deps(), ctx(), attempt({ state: ownStates.issue() })));
    // Even where IdP-initiated logins are accepted, and even after this browser started a unified login.
    await refusedWith('login_state_invalid', () => bindToBrowser(deps(), ctx(), attempt({ state: ownStates.issue(), preLogin: pre({ returnTo: 'https://app.example.com/' }) })));
  });

  it('our states are self-identifying: a key of SECRET_KEYS verifies them, a tampered or foreign one is not ours', () => {
    const s = ownStates.issue();
    expect(s).toMatch(/^kb1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/);
    expect(ownStates.isOurs(s)).toBe(true);
    expect(ownStates.isOurs(`${s.slice(0, -1)}${s.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    expect(ownStates.isOurs('workbench-state-1')).toBe(false);
    const other = createOwnStates([Buffer.alloc(32, 8).toString('base64')]);
    expect(other.isOurs(s)).toBe(false);
    // Rotation: a new first key issues, the old one still verifies.
    expect(createOwnStates([Buffer.alloc(32, 8).toString('base64'), Buffer.alloc(32, 7).toString('base64')]).isOurs(s)).toBe(true);
  });

  it('a workbench callback (a state we never issued, no pre-login) is an IdP-initiated login, not a refusal', async () => {
    const a = attempt({ state: 'wb-state-from-the-workbench' });
    bindToBrowser(deps(), ctx(), a);
    expect(a).toMatchObject({ tenantId: 'acme', returnTo: null, boundByState: false, returnUrl: undefined });
    await refusedWith('login_idp_initiated_disabled', () => bindToBrowser(deps({ idpInitiated: false }), ctx(), attempt({ state: 'wb-state-from-the-workbench' })));
  });

  it('a workbench callback into a browser that had started a unified login is still IdP-initiated: the pending return target is not used', () => {
    const a = attempt({ state: 'wb-state', preLogin: pre({ returnTo: 'https://app.example.com/' }) });
    bindToBrowser(deps(), ctx(), a);
    expect(a).toMatchObject({ returnTo: null, boundByState: false });
  });

  it('refuses a callback for another tenant than the login was started for', async () => {
    await refusedWith('login_tenant_mismatch', () => bindToBrowser(deps(), ctx(), attempt({ tenantId: 'globex', state: 's-1', preLogin: pre({ state: 's-1', tenantId: 'acme' }) })));
  });

  it('a unified login (no state, no tenant in the record) accepts the tenant the callback names and sends no redirect_uri', () => {
    const a = attempt({ tenantId: 'globex', preLogin: pre({ returnTo: 'https://app.example.com/x' }) });
    bindToBrowser(deps(), ctx(), a);
    expect(a).toMatchObject({ tenantId: 'globex', returnTo: 'https://app.example.com/x', returnUrl: undefined });
  });

  it('an IdP-initiated login (no record, no state) is accepted only while KOO_IDP_INITIATED is on, and lands on the landing page', async () => {
    const a = attempt();
    bindToBrowser(deps({ idpInitiated: true }), ctx(), a);
    expect(a.returnTo).toBeNull();
    await refusedWith('login_idp_initiated_disabled', () => bindToBrowser(deps({ idpInitiated: false }), ctx(), attempt()));
  });

  it('a pre-login of another protocol does not bind this callback: it is IdP-initiated', async () => {
    const a = attempt({ protocol: 'cas', connector: connectors.cas, proof: 'ST-1', proofField: 'ticket', preLogin: pre({ tenantId: 'globex', returnTo: 'https://app.example.com/' }) });
    bindToBrowser(deps(), ctx('/sso/cas', 'tenant=acme&ticket=ST-1'), a);
    expect(a.returnTo).toBeNull();
    await refusedWith('login_idp_initiated_disabled', () => bindToBrowser(deps({ idpInitiated: false }), ctx('/sso/cas', 'tenant=acme&ticket=ST-1'), attempt({ protocol: 'cas', connector: connectors.cas, preLogin: pre({}) })));
  });

  const casAttempt = (over: Partial<CallbackAttempt> = {}) => attempt({ protocol: 'cas', connector: connectors.cas, proof: 'ST-1', proofField: 'ticket', ...over });

  it('CAS validates against exactly the service the ticket came back to: the login we started, for its return target', () => {
    const a = casAttempt({ preLogin: pre({ protocol: 'cas', tenantId: 'acme', returnTo: 'https://app.example.com/' }) });
    bindToBrowser(deps(), ctx('/sso/cas', 'tenant=acme&ticket=ST-1'), a);
    expect(a).toMatchObject({ returnUrl: `${PUBLIC_URL}/sso/cas?tenant=acme`, returnTo: 'https://app.example.com/' });
  });

  it('a CAS ticket for another service than the one this browser started with is not that login: IdP-initiated, validated with its own service', async () => {
    const a = casAttempt({ preLogin: pre({ protocol: 'cas', tenantId: 'acme', returnTo: 'https://app.example.com/' }) });
    bindToBrowser(deps(), ctx('/sso/cas', 'tenant=acme&ticket=ST-1&from=work%20bench'), a);
    expect(a).toMatchObject({ returnUrl: `${PUBLIC_URL}/sso/cas?tenant=acme&from=work%20bench`, returnTo: null });
    await refusedWith('login_idp_initiated_disabled', () =>
      bindToBrowser(deps({ idpInitiated: false }), ctx('/sso/cas', 'tenant=acme&ticket=ST-1&from=x'), casAttempt({ preLogin: pre({ protocol: 'cas', tenantId: 'acme' }) })),
    );
  });
});

describe('the other checks', () => {
  const redirecting = () => {
    const to: string[] = [];
    return { to, ctx: { redirect: (u: string) => to.push(u) } as never };
  };

  it('requireProof: a callback without a code (bookmarked, stripped) starts a login instead, for the tenant it names', () => {
    for (const [over, expected] of [
      [{}, '/sso/login?tenant=acme'],
      [{ tenantId: undefined }, '/sso/login'],
      [{ protocol: 'cas', proofField: 'ticket' }, '/sso/login?tenant=acme&protocol=cas'],
    ] as const) {
      const r = redirecting();
      const a = attempt({ ...over, proof: undefined });
      requireProof(deps(), r.ctx, a);
      expect(a.answered).toBe(true);
      expect(r.to).toEqual([expected]);
    }
    const r = redirecting();
    const a = attempt();
    requireProof(deps(), r.ctx, a);
    expect([a.answered, r.to]).toEqual([false, []]);
  });

  it('a CAS callback without a tenant gets words saying what is missing and which service URL to register', async () => {
    for (const check of [requireProof, requireTenant]) {
      const err = await refusedWith('invalid_parameter', () => check(deps(), redirecting().ctx, attempt({ protocol: 'cas', proofField: 'ticket', tenantId: undefined, proof: check === requireProof ? undefined : 'ST-1' })));
      expect(err.message).toMatch(/missing which organization it is for/);
      expect(err.message).toContain(`${PUBLIC_URL}/sso/cas?tenant=`);
    }
  });

  it('loadTarget: unknown tenant, no credentials for OAuth2 (fine for CAS), no sign-in address', async () => {
    const tenant = { tenantId: 'acme', tenantCode: 'acme', name: 'Acme', domainName: 'https://idp.example.com', instanceId: '', orderId: '', test: false, createdAt: '', updatedAt: '' };
    const directory = (target: unknown) => ({ getLoginTarget: async () => target }) as never;
    await refusedWith('login_tenant_unknown', () => loadTarget(deps({ directory: directory(null) }), ctx(), attempt()));
    await refusedWith('login_no_credentials', () => loadTarget(deps({ directory: directory({ tenant, credentials: null }) }), ctx(), attempt()));
    const cas = attempt({ protocol: 'cas', connector: connectors.cas });
    await loadTarget(deps({ directory: directory({ tenant, credentials: null }) }), ctx(), cas);
    expect(cas.target).toEqual({ tenant, credentials: null });
    const err = await refusedWith('login_no_credentials', () => loadTarget(deps({ directory: directory({ tenant: { ...tenant, domainName: '' }, credentials: null }) }), ctx(), attempt({ protocol: 'cas', connector: connectors.cas })));
    expect(err.message).toMatch(/no sign-in address/);
  });

  it('sameTenantAtIdp refuses an identity the IdP places in another tenant, and trusts silence', async () => {
    const identity = (tenant: string | null) => ({ identity: { userName: 'zhang.san', name: null, email: null, mobile: null, role: null, orgCode: null, orgName: null, tenant, userId: null }, upstream: null });
    const target = (tenantCode: string) => ({ tenant: { tenantId: 'acme', tenantCode }, credentials: null }) as never;
    await refusedWith('login_tenant_mismatch', () => sameTenantAtIdp(deps(), ctx(), attempt({ target: target('ACME-CODE'), result: identity('globex') })));
    sameTenantAtIdp(deps(), ctx(), attempt({ target: target('ACME-CODE'), result: identity(null) }));
    sameTenantAtIdp(deps(), ctx(), attempt({ target: target('ACME-CODE'), result: identity('acme') }));
  });

  it('sameTenantAtIdp: userinfo `tenant` may be the tenant id (domainId) or the enterprise code; no other value', async () => {
    const identity = (tenant: string) => ({ identity: { userName: 'zhang.san', name: null, email: null, mobile: null, role: null, orgCode: null, orgName: null, tenant, userId: null }, upstream: null });
    const target = (tenantCode: string) => ({ tenant: { tenantId: 'acme', tenantCode }, credentials: null }) as never;
    sameTenantAtIdp(deps(), ctx(), attempt({ target: target('ACME-CODE'), result: identity('ACME-CODE') }));
    await refusedWith('login_tenant_mismatch', () => sameTenantAtIdp(deps(), ctx(), attempt({ target: target('ACME-CODE'), result: identity('GLOBEX-CODE') })));
    // A tenant without a code (tenantSync sent none) is matched by its id only; an empty `tenant` is not a match.
    await refusedWith('login_tenant_mismatch', () => sameTenantAtIdp(deps(), ctx(), attempt({ target: target(''), result: identity('') })));
  });

  it('grantedByTenant refuses the ungranted, the cancelled and the disabled, each with its own words', async () => {
    const result = { identity: { userName: 'zhang.san', name: null, email: null, mobile: null, role: null, orgCode: null, orgName: null, tenant: null, userId: null }, upstream: null };
    const withUser = (user: unknown) => deps({ directory: { getUser: async () => user } as never });
    const base = { userName: 'zhang.san', status: 'active', enable: true };
    expect((await refusedWith('login_user_not_authorized', () => grantedByTenant(withUser(null), ctx(), attempt({ result })))).message).toMatch(/not granted/);
    expect((await refusedWith('login_user_not_authorized', () => grantedByTenant(withUser({ ...base, status: 'cancelled' }), ctx(), attempt({ result })))).message).toMatch(/withdrawn/);
    expect((await refusedWith('login_user_not_authorized', () => grantedByTenant(withUser({ ...base, enable: false }), ctx(), attempt({ result })))).message).toMatch(/disabled/);
    const ok = attempt({ result });
    await grantedByTenant(withUser(base), ctx(), ok);
    expect(ok.user).toEqual(base);
  });
});

describe('confirmUntiedIdentity', () => {
  const mine = { sidHash: 'h-old', tenantId: 'acme', userName: 'zhang.san' };
  async function run(over: Partial<CallbackAttempt>, previous: object | null) {
    const created: string[] = [];
    const redirects: string[] = [];
    const store = createMemoryStore();
    const keys = createKeys('t:');
    const d = {
      ...deps(),
      store,
      keys,
      cookies: { session: 'koobridge', prelogin: 'koobridge-login', secure: false },
      sessions: {
        get: async () => null,
        create: async (identity: { tenantId: string }) => (created.push(identity.tenantId), { sid: 'S'.repeat(43), record: { sidHash: 'h-new', ...identity } }),
      },
    } as unknown as LoginDeps;
    const c = { get: () => '', append: () => {}, redirect: (u: string) => redirects.push(u), state: { log: { info: () => {} } } } as never;
    const a = attempt({
      previous: previous as CallbackAttempt['previous'],
      target: { tenant: { tenantId: 'globex', tenantCode: 'globex', name: 'Globex' }, subscription: { state: 'active', instances: [] } } as never,
      result: { identity: { name: null, role: null, orgCode: null, email: null, mobile: null }, upstream: null } as never,
      user: { userName: 'li.si' } as never,
      ...over,
    });
    await confirmUntiedIdentity(d, c, a);
    // Where the login goes on to once confirmed, kept beside the held-back session.
    const continuation = await store.get(keys.loginConfirmation('h-new'));
    return { answered: a.answered, created, redirects, continuation: continuation === null ? null : JSON.parse(continuation) };
  }

  it('a callback tied by our state never asks', async () => {
    expect(await run({ boundByState: true, returnTo: 'https://app.example.com/' }, mine)).toMatchObject({ answered: false, created: [] });
  });

  it('asks before a code not tied to this browser replaces another identity’s session or enters an app', async () => {
    expect(await run({}, mine)).toMatchObject({ answered: true, created: ['globex'], redirects: ['/sso/confirm'], continuation: { returnTo: null } });
    // The return_to stays server-side: the confirmation page's URL carries none for a user to edit.
    expect(await run({ returnTo: 'https://app.example.com/x' }, null)).toMatchObject({ answered: true, redirects: ['/sso/confirm'], continuation: { returnTo: 'https://app.example.com/x' } });
    expect(await run({ user: { userName: 'zhang.san' } as never }, mine)).toMatchObject({ answered: true }); // same userName, another tenant
  });

  it('the same identity again, and a workbench login into an empty browser with nowhere to return to, go on', async () => {
    expect(await run({ returnTo: 'https://app.example.com/x' }, { ...mine, tenantId: 'globex', userName: 'li.si' })).toMatchObject({ answered: false, created: [], continuation: null });
    expect(await run({}, null)).toMatchObject({ answered: false, created: [], continuation: null });
  });
});
