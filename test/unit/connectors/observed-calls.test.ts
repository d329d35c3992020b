/**
 * Every call to a tenant IdP is reported once on the observation bus (`idp_call`): which call, how
 * it ended (ok, refused by the IdP, failed, timed out) and how long it took.
 */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createCasClient } from '../../../src/connectors/cas/client.js';
import { createOAuth2Client } from '../../../src/connectors/oauth2/client.js';
import { createObservations, type Observation } from '../../../src/shared/observations.js';
import { CREDS, DOMAIN, NOW, caught, useNock } from './helpers.js';

useNock();

function recording() {
  const seen: Observation[] = [];
  const observations = createObservations();
  observations.on((o) => void seen.push(o));
  const opts = { timeoutMs: 2000, allowInsecure: false, now: () => NOW, observations };
  return { seen, oauth2: (timeoutMs = 2000) => createOAuth2Client({ ...opts, timeoutMs }), cas: () => createCasClient(opts) };
}

const TOKEN = { access_token: 'at-1', token_type: 'Bearer', expires_in: 7200, refresh_token: 'rt-1' };
const calls = (seen: Observation[]) => seen.map((o) => (o.kind === 'idp_call' ? `${o.call}:${o.outcome}` : o.kind));

describe('idp_call observations', () => {
  it('a code exchange, a userinfo call and a refresh that succeed are reported ok, with their duration', async () => {
    const { seen, oauth2 } = recording();
    nock(DOMAIN).post('/api/v1/oauth2/token').reply(200, TOKEN).post('/api/v1/oauth2/token').reply(200, TOKEN);
    nock(DOMAIN).get('/api/v1/oauth2/userinfo').reply(200, { userName: 'zhang.san', tenant: 'acme' });
    const client = oauth2();
    await client.exchangeCode(CREDS, { code: 'c' });
    await client.userinfo(DOMAIN, 'at-1');
    await client.refreshTokens(CREDS, 'rt-1');
    expect(calls(seen)).toEqual(['token:ok', 'userinfo:ok', 'refresh:ok']);
    for (const o of seen) expect(o).toMatchObject({ durationMs: expect.any(Number) });
  });

  it('an IdP that refuses the code is "refused", one that answers 500 is "error", one past the deadline is "timeout"', async () => {
    const { seen, oauth2 } = recording();
    nock(DOMAIN).post('/api/v1/oauth2/token').reply(400, { error: 'invalid_grant' });
    nock(DOMAIN).post('/api/v1/oauth2/token').reply(500, 'oops');
    nock(DOMAIN).post('/api/v1/oauth2/token').delay(3000).reply(200, TOKEN);
    expect((await caught(oauth2().exchangeCode(CREDS, { code: 'c' }))).code).toBe('idp_invalid_grant');
    expect((await caught(oauth2().refreshTokens(CREDS, 'rt'))).code).toBe('idp_unavailable');
    expect((await caught(oauth2(150).exchangeCode(CREDS, { code: 'c' }))).code).toBe('idp_unavailable');
    expect(calls(seen)).toEqual(['token:refused', 'refresh:error', 'token:timeout']);
  });

  it('a CAS validation is reported as cas_validate; a malformed ticket, refused before any call, is not', async () => {
    const { seen, cas } = recording();
    nock(DOMAIN)
      .get('/api/v1/cas/p3/serviceValidate')
      .query(true)
      .reply(200, { serviceResponse: { authenticationFailure: { code: 'INVALID_TICKET', description: 'no' } } });
    expect((await caught(cas().validateServiceTicket(DOMAIN, { service: 'https://bridge.example.com/sso/cas', ticket: 'ST-1-abc' }))).code).toBe('cas_invalid_ticket');
    expect((await caught(cas().validateServiceTicket(DOMAIN, { service: 'https://bridge.example.com/sso/cas', ticket: 'not a ticket' }))).code).toBe('cas_invalid_ticket');
    expect(calls(seen)).toEqual(['cas_validate:refused']);
  });
});
