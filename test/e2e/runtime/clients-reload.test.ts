/**
 * OpenID clients reloaded while the bridge runs: two instances on one Redis, each watching its own
 * OIDC_CLIENTS_FILE. A changed redirect URI is accepted after the file changes; a broken file is
 * refused with one log line saying why, and the clients in use keep working.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.js';
import { closeAll } from '../../support/cleanup.js';

const APP = 'https://crm.example.com';
const client = (redirectUris: string[]) => ({
  client_id: 'crm',
  client_secret: 'crm-secret-for-tests-only-0123456789abcdef',
  redirect_uris: redirectUris,
  grant_types: ['authorization_code'],
});

describe('OpenID clients reload without a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-clients-'));
  const fileOne = join(dir, 'one.json');
  const fileTwo = join(dir, 'two.json');
  /** As editors and config tools do: a new file renamed over the old one. */
  const save = (file: string, text: string) => {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  };
  let one: TestBridge;
  let two: TestBridge;
  beforeAll(async () => {
    save(fileOne, JSON.stringify([client([`${APP}/callback`])]));
    save(fileTwo, JSON.stringify([client([`${APP}/callback`])]));
    one = await startBridge({ env: { OIDC_CLIENTS_FILE: fileOne } });
    two = await startBridge({ prefix: one.prefix, env: { OIDC_CLIENTS_FILE: fileTwo } });
  });
  afterAll(() => closeAll(() => one?.close(), () => two?.close(), () => rmSync(dir, { recursive: true, force: true })));

  /** The status oidc-provider answers an authorization request with: 303 onwards to sign in, 400 for a redirect URI it does not know. */
  const authorize = async (bridge: TestBridge, redirectUri: string) => {
    const q = new URLSearchParams({ client_id: 'crm', redirect_uri: redirectUri, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', state: 's' });
    const res = await fetch(`${bridge.url}/oidc/auth?${q}`, { redirect: 'manual' });
    await res.arrayBuffer();
    return res.status;
  };
  const logLines = (bridge: TestBridge, text: string) => bridge.logs.map((l) => JSON.parse(l) as { msg: string; trigger?: string }).filter((l) => l.msg.includes(text));

  // A reload follows a file change within its debounce; polled, never a fixed sleep.
  const eventually = (check: () => Promise<void> | void) => vi.waitFor(check, { timeout: 10_000, interval: 100 });

  it('a changed redirect URI is accepted once the file changes, on the instance whose file changed', async () => {
    expect(await authorize(one, `${APP}/callback`)).toBe(303);
    expect(await authorize(one, `${APP}/new-callback`)).toBe(400);

    save(fileOne, JSON.stringify([client([`${APP}/callback`, `${APP}/new-callback`])]));
    await eventually(async () => expect(await authorize(one, `${APP}/new-callback`)).toBe(303));
    expect(logLines(one, 'OpenID clients reloaded')).toEqual([expect.objectContaining({ trigger: 'file change' })]);
    // The other instance watches its own file, which did not change.
    expect(await authorize(two, `${APP}/new-callback`)).toBe(400);
  });

  it('a broken file is refused with one log line naming the problem; the clients in use keep working', async () => {
    save(fileTwo, JSON.stringify([client(['not a url'])]));
    await eventually(() => expect(logLines(two, 'not reloaded')).toHaveLength(1));
    expect(logLines(two, 'not reloaded')[0]!.msg).toBe('OpenID clients not reloaded, the previous ones stay: OIDC_CLIENTS_FILE: client "crm": redirect_uris #1: must be an absolute URL');
    expect(await authorize(two, `${APP}/callback`)).toBe(303);

    // Not JSON at all: refused too, without quoting the file (it holds secrets).
    save(fileTwo, '[{"client_id": "crm", "client_secret": "crm-secret-for-tests-only-0123456789abcdef",');
    await eventually(() => expect(logLines(two, 'not reloaded')).toHaveLength(2));
    expect(logLines(two, 'not reloaded')[1]!.msg).toBe(`OpenID clients not reloaded, the previous ones stay: OIDC_CLIENTS_FILE: ${fileTwo} is not valid JSON`);
    expect(two.logs.join('\n')).not.toContain('crm-secret-for-tests-only');
    expect(await authorize(two, `${APP}/callback`)).toBe(303);
  });

  it('metadata only oidc-provider refuses is refused the same way, before it replaces anything', async () => {
    save(fileTwo, JSON.stringify([{ ...client([`${APP}/callback`]), id_token_signed_response_alg: 'RS256' }]));
    const outcome = await two.oidc.reloadClients('SIGHUP');
    expect(outcome).toBe('refused');
    expect(logLines(two, 'not reloaded').at(-1)).toMatchObject({ trigger: 'SIGHUP', msg: `OpenID clients not reloaded, the previous ones stay: OIDC_CLIENTS_FILE: client "crm": id_token_signed_response_alg must be 'ES256'` });
    expect(await authorize(two, `${APP}/callback`)).toBe(303);
  });

  it('a client removed from the file is no longer served', async () => {
    save(fileTwo, JSON.stringify([{ ...client([`${APP}/other`]), client_id: 'erp' }]));
    expect(['applied', 'unchanged']).toContain(await two.oidc.reloadClients('SIGHUP'));
    expect(await authorize(two, `${APP}/callback`)).toBe(400);
  });
});
