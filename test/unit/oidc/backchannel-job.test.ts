/**
 * The back-channel logout job's handler: it sends through oidc-provider's client, drops a job whose
 * client has no back-channel URI any more, and refuses a malformed payload for good.
 */
import type Provider from 'oidc-provider';
import { describe, expect, it } from 'vitest';
import { backchannelLogoutJob } from '../../../src/oidc/backchannel-job.js';
import { PermanentJobError, type JobContext } from '../../../src/shared/jobs.js';

const job: JobContext = { id: 'j1', kind: 'oidc.backchannel-logout', attempt: 1, signal: new AbortController().signal };

function providerWith(clients: Record<string, object>) {
  const provider = { Client: { find: async (id: string) => clients[id] } } as unknown as Provider;
  return () => provider;
}

const silent = { info: () => undefined };

describe('back-channel logout job', () => {
  it('sends the logout for the job’s account and sid through the client', async () => {
    const sent: string[][] = [];
    const provider = providerWith({ crm: { backchannelLogoutUri: 'https://crm.example.com/bc', backchannelLogout: async (sub: string, sid: string) => void sent.push([sub, sid]) } });
    await backchannelLogoutJob(provider, silent)({ clientId: 'crm', accountId: 'acme.emhhbmcuc2Fu', sid: 'sid-1' }, job);
    expect(sent).toEqual([['acme.emhhbmcuc2Fu', 'sid-1']]);
  });

  it('a refusal by the app fails the run, so the outbox retries it', async () => {
    const provider = providerWith({ crm: { backchannelLogoutUri: 'https://crm.example.com/bc', backchannelLogout: async () => Promise.reject(new Error('expected 200 OK, got: 503')) } });
    await expect(backchannelLogoutJob(provider, silent)({ clientId: 'crm', accountId: 'a', sid: 's' }, job)).rejects.toThrow('503');
  });

  it('a client removed from the clients file, or without a back-channel URI, is done with nothing sent', async () => {
    const provider = providerWith({ spa: { backchannelLogout: async () => Promise.reject(new Error('must not be called')) } });
    await expect(backchannelLogoutJob(provider, silent)({ clientId: 'gone', accountId: 'a', sid: 's' }, job)).resolves.toBeUndefined();
    await expect(backchannelLogoutJob(provider, silent)({ clientId: 'spa', accountId: 'a', sid: 's' }, job)).resolves.toBeUndefined();
  });

  it('a malformed payload is a permanent error (dead-lettered, not retried)', async () => {
    const handler = backchannelLogoutJob(providerWith({}), silent);
    for (const payload of [null, {}, { clientId: 'crm', accountId: 'a' }, { clientId: 'crm', accountId: 'a', sid: '' }]) {
      await expect(handler(payload, job)).rejects.toBeInstanceOf(PermanentJobError);
    }
  });
});
