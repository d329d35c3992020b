import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

const load = (env: Record<string, string>) => loadConfig(env, { exists: () => false });
const problems = (env: Record<string, string>): string[] => {
  try {
    load(env);
    return [];
  } catch (err) {
    return (err as Error).message.split('\n').filter((l) => l.includes('RATE_LIMIT_'));
  }
};

describe('RATE_LIMIT_* settings', () => {
  it('default to limits generous enough for a whole enterprise behind one address (README, Rate limits)', () => {
    expect(load({}).rateLimits).toEqual({
      loginIp: { points: 10_000, windowMs: 60_000 },
      loginTenant: { points: 30_000, windowMs: 60_000 },
      oidcAuthIp: { points: 20_000, windowMs: 60_000 },
      oidcTokenIp: { points: 30_000, windowMs: 60_000 },
      adminFailuresIp: { points: 30, windowMs: 600_000 },
      webhookFailuresIp: { points: 30, windowMs: 60_000 },
    });
  });

  it('read hits per window in s, m or h (a bare window is seconds), and 0 as no limit', () => {
    const { rateLimits } = load({ RATE_LIMIT_LOGIN_IP: '5/10s', RATE_LIMIT_LOGIN_TENANT: '100 / 2m', RATE_LIMIT_OIDC_AUTH_IP: '7/30', RATE_LIMIT_OIDC_TOKEN_IP: '1/1h', RATE_LIMIT_ADMIN_FAILURES_IP: '0', RATE_LIMIT_WEBHOOK_FAILURES_IP: ' 0 ' });
    expect(rateLimits).toEqual({
      loginIp: { points: 5, windowMs: 10_000 },
      loginTenant: { points: 100, windowMs: 120_000 },
      oidcAuthIp: { points: 7, windowMs: 30_000 },
      oidcTokenIp: { points: 1, windowMs: 3_600_000 },
      adminFailuresIp: null,
      webhookFailuresIp: null,
    });
  });

  it('name each value they cannot read', () => {
    expect(problems({ RATE_LIMIT_LOGIN_IP: '10000', RATE_LIMIT_LOGIN_TENANT: '5/0s', RATE_LIMIT_OIDC_AUTH_IP: '5/2d', RATE_LIMIT_OIDC_TOKEN_IP: '5/25h', RATE_LIMIT_ADMIN_FAILURES_IP: '-1/1m', RATE_LIMIT_WEBHOOK_FAILURES_IP: '5/500ms' })).toEqual([
      'RATE_LIMIT_LOGIN_IP: must be hits per window such as 600/1m (windows in s, m or h), or 0 for no limit',
      'RATE_LIMIT_LOGIN_TENANT: the window must be from 1 s to 24 h',
      'RATE_LIMIT_OIDC_AUTH_IP: must be hits per window such as 600/1m (windows in s, m or h), or 0 for no limit',
      'RATE_LIMIT_OIDC_TOKEN_IP: the window must be from 1 s to 24 h',
      'RATE_LIMIT_ADMIN_FAILURES_IP: must be hits per window such as 600/1m (windows in s, m or h), or 0 for no limit',
      'RATE_LIMIT_WEBHOOK_FAILURES_IP: must be hits per window such as 600/1m (windows in s, m or h), or 0 for no limit',
    ]);
  });
});
