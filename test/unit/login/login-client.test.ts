/**
 * The app a login was for (`clientId` of the login observation): taken from this browser's
 * pre-login record only when that record binds the callback, and reported on success and refusal
 * alike. Which URL names which client is the OpenID and CAS rooms' answer (their own tests).
 */
import { describe, expect, it } from 'vitest';
import { callbackAttempt, connectors, ownStates, PUBLIC_URL } from '../../support/callback-attempt.js';
import { bindToBrowser } from '../../../src/login/callback/bind-to-browser.js';
import { refuseUpstreamError } from '../../../src/login/callback/checks.js';
import type { LoginDeps } from '../../../src/login/deps.js';
import { factsOf, reportLogin } from '../../../src/login/login-report.js';
import type { PreLogin } from '../../../src/login/prelogin.js';
import { KbError } from '../../../src/shared/errors.js';
import { createObservations, type Observation } from '../../../src/shared/observations.js';

const INTERACTION = `${PUBLIC_URL}/oidc/interaction/uid-1`;

function deps(over: Partial<LoginDeps> = {}): LoginDeps {
  return {
    settings: { publicUrl: PUBLIC_URL, appId: 'app-1', unifiedLoginUrl: 'https://koo.example.com/login', allowedReturnUrls: [], landingUrl: `${PUBLIC_URL}/sso/me`, idpInitiated: true, idleTimeoutMs: 60_000 },
    connectors,
    ownStates,
    ...over,
  } as unknown as LoginDeps;
}

const ctx = () => ({ path: '/sso/callback', querystring: '', redirect: () => {}, get: () => '', ip: '127.0.0.1', state: { requestId: 'r-1', log: { info: () => {} } } }) as never;

const attempt = callbackAttempt;

const pre = (over: Partial<PreLogin>): PreLogin => ({ state: null, tenantId: null, protocol: 'oauth2', returnTo: INTERACTION, clientId: 'web-app', createdAt: 0, ...over });

describe('the app a login was for', () => {
  it('comes from the pre-login record that binds the callback: by state (tenant IdP) or without (unified login page)', () => {
    const byState = attempt({ state: 's-1', preLogin: pre({ state: 's-1', tenantId: 'acme' }) });
    bindToBrowser(deps(), ctx(), byState);
    expect(byState.clientId).toBe('web-app');
    const unified = attempt({ preLogin: pre({}) });
    bindToBrowser(deps(), ctx(), unified);
    expect(unified.clientId).toBe('web-app');
  });

  it('is not taken from a record that does not bind the callback (a workbench state, another protocol), nor from an old record without it', () => {
    const workbench = attempt({ state: 'wb-state', preLogin: pre({}) });
    bindToBrowser(deps(), ctx(), workbench);
    expect(workbench.clientId).toBeUndefined();
    const cas = attempt({ protocol: 'cas', connector: connectors.cas, proof: 'ST-1', proofField: 'ticket', preLogin: pre({}) });
    bindToBrowser(deps(), ctx(), cas);
    expect(cas.clientId).toBeUndefined();
    // A record written before the field existed.
    const old = attempt({ preLogin: JSON.parse(JSON.stringify({ state: null, tenantId: null, protocol: 'oauth2', returnTo: INTERACTION, createdAt: 0 })) as PreLogin });
    bindToBrowser(deps(), ctx(), old);
    expect(old).toMatchObject({ returnTo: INTERACTION, clientId: undefined });
  });

  it('an upstream refusal of a login this browser started names its app; one it did not start names none', async () => {
    const bound = attempt({ upstreamError: 'access_denied', proof: undefined, preLogin: pre({}) });
    await expect(refuseUpstreamError(deps(), ctx(), bound)).rejects.toBeInstanceOf(KbError);
    expect(bound.clientId).toBe('web-app');
    const handedBack = attempt({ upstreamError: 'access_denied', proof: undefined, preLogin: pre({}) });
    await refuseUpstreamError(deps({ upstreamRefusalTo: async () => `${PUBLIC_URL}/oidc/auth/uid-1` }), ctx(), handedBack);
    expect(handedBack).toMatchObject({ answered: true, clientId: 'web-app' });
    const foreign = attempt({ upstreamError: 'access_denied', proof: undefined, state: 'wb-state', preLogin: pre({}) });
    await expect(refuseUpstreamError(deps(), ctx(), foreign)).rejects.toBeInstanceOf(KbError);
    expect(foreign.clientId).toBeUndefined();
  });

  it('is on the login observation, success and refusal alike', () => {
    const seen: Observation[] = [];
    const observations = createObservations();
    observations.on((o) => void seen.push(o));
    const d = deps({ observations });
    const a = attempt({ clientId: 'web-app' });
    reportLogin(d, ctx(), factsOf(d, a));
    reportLogin(d, ctx(), factsOf(d, a), new KbError('login_replayed', 'replayed'));
    reportLogin(d, ctx(), factsOf(d, attempt()));
    expect(seen.map((o) => (o.kind === 'login' ? [o.outcome, o.clientId] : null))).toEqual([
      ['success', 'web-app'],
      ['refused', 'web-app'],
      ['success', undefined],
    ]);
    expect(seen[2]).not.toHaveProperty('clientId');
  });
});
