/**
 * Observations as stored entries: which stream, which fields, and the second line of defence
 * against secrets (named fields only, bounded lengths, secret-looking detail names dropped).
 */
import { describe, expect, it } from 'vitest';
import { entryOf } from '../../../src/audit/entries.js';
import type { Observation } from '../../../src/shared/observations.js';

const AT = Date.UTC(2026, 11, 1, 8, 0, 0);

describe('audit entries', () => {
  it('a login keeps its common fields on top and the rest as detail', () => {
    const entry = entryOf({ kind: 'login', method: 'cas', outcome: 'refused', reason: 'login_replayed', tenantId: 'acme', userName: 'zhang.san', clientId: 'crm', sourceIp: '192.0.2.7', requestId: 'r-1' }, AT);
    expect(entry).toEqual({
      stream: 'audit',
      fields: { at: String(AT), kind: 'login', outcome: 'refused', reason: 'login_replayed', tenantId: 'acme', userName: 'zhang.san', clientId: 'crm', sourceIp: '192.0.2.7', requestId: 'r-1', detail: '{"method":"cas"}' },
    });
  });

  it.each<[Observation, string, Record<string, unknown> | undefined]>([
    [{ kind: 'session_end', cause: 'deprovisioned', tenantId: 'acme', count: 3, reason: 'tenant.removed' }, 'deprovisioned', { count: 3 }],
    [{ kind: 'token', protocol: 'oidc', action: 'refreshed', clientId: 'crm', tokenType: 'refresh_token' }, 'refreshed', { protocol: 'oidc', tokenType: 'refresh_token' }],
    [{ kind: 'backchannel', protocol: 'cas', clientId: 'wiki', outcome: 'retrying' }, 'retrying', { protocol: 'cas' }],
    [{ kind: 'admin_action', action: 'purge_test_data', outcome: 'success' }, 'success', { action: 'purge_test_data' }],
    [{ kind: 'rate_limited', limit: 'login', scope: 'ip', retryAfterSeconds: 30, sourceIp: '192.0.2.7' }, 'refused', { limit: 'login', scope: 'ip', retryAfterSeconds: 30 }],
  ])('%o → outcome %s', (observation, outcome, detail) => {
    const { fields } = entryOf(observation, AT)!;
    expect(fields.outcome).toBe(outcome);
    expect(fields.detail === undefined ? undefined : JSON.parse(fields.detail)).toEqual(detail);
  });

  it('a rate-limited request gives the limit as its reason', () => {
    expect(entryOf({ kind: 'rate_limited', limit: 'admin', scope: 'ip', retryAfterSeconds: 5 }, AT)!.fields.reason).toBe('admin');
  });

  it('IdP calls are not audited (metrics only)', () => {
    expect(entryOf({ kind: 'idp_call', call: 'token', outcome: 'ok', durationMs: 12 }, AT)).toBeNull();
  });

  it('a KooGallery call goes to the sync log with a rounded duration', () => {
    const entry = entryOf({ kind: 'webhook', interface: 'authSync', resultCode: '000000', message: 'success', summary: 'users=3', tenantId: 'acme', durationMs: 12.6, requestId: 'r-2', sourceIp: '192.0.2.8' }, AT);
    expect(entry).toEqual({
      stream: 'sync',
      fields: { at: String(AT), interface: 'authSync', resultCode: '000000', message: 'success', summary: 'users=3', durationMs: '13', tenantId: 'acme', requestId: 'r-2', sourceIp: '192.0.2.8' },
    });
  });

  it('a field slipped in by mistake whose name reads like a secret is dropped; lengths are bounded', () => {
    const sloppy = { kind: 'token', protocol: 'oidc', action: 'issued', clientId: 'crm', tokenType: 'access_token', accessToken: 'eyJ-secret', code: 'the-code', ticket: 'ST-1', cookie: 'c', clientSecret: 's', reason: 'x'.repeat(5000) } as unknown as Observation;
    const { fields } = entryOf(sloppy, AT)!;
    const text = JSON.stringify(fields);
    for (const secret of ['eyJ-secret', 'the-code', 'ST-1', '"c"', '"s"']) expect(text).not.toContain(secret);
    expect(JSON.parse(fields.detail!)).toEqual({ protocol: 'oidc', tokenType: 'access_token' });
    expect(fields.reason!.length).toBeLessThanOrEqual(256);
  });
});
