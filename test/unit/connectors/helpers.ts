/**
 * Shared fixtures for the tenant-IdP tests: a fake tenant, its credentials, and nock set up so that
 * nothing but the interceptors a test declares can be reached.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { KbError, type ErrorCode } from '../../../src/shared/errors.js';
import { createCasClient } from '../../../src/connectors/cas/client.js';
import { createOAuth2Client, type IdpCredentials } from '../../../src/connectors/oauth2/client.js';

export const DOMAIN = 'https://tenant-a.idp.example.com';
export const NOW = 1_700_000_000_000;
export const SECRET = 'cl13nt-s3cr3t-do-not-leak';
export const CREDS: IdpCredentials = { domainName: DOMAIN, clientId: 'app-client-1', clientSecret: SECRET };

type Over = { timeoutMs?: number; allowInsecure?: boolean };
const options = (over: Over) => ({ timeoutMs: over.timeoutMs ?? 2000, allowInsecure: over.allowInsecure ?? false, now: () => NOW });

export const oauth2Client = (over: Over = {}) => createOAuth2Client(options(over));
export const casClient = (over: Over = {}) => createCasClient(options(over));

/** Only declared interceptors answer; every test leaves none behind. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => nock.enableNetConnect());
}

/** The KbError a promise rejects with (fails the test if it resolves or throws something else). */
export async function caught(promise: Promise<unknown>): Promise<KbError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(KbError);
    return err as KbError;
  }
  throw new Error('expected a KbError, but the call succeeded');
}

export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<KbError> {
  const err = await caught(promise);
  expect(err.code).toBe(code);
  return err;
}

/** Everything of an error a caller or a log could show. */
export const visible = (err: KbError): string => `${err.message} ${JSON.stringify(err.details ?? {})}`;
