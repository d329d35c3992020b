/**
 * A user name holding a lone UTF-16 surrogate (`"\ud800"` in KooGallery's JSON) has no UTF-8 form:
 * accepted, it broke /auth/check (500, URI-encoding the name for X-Koo-User) and, replaced by
 * U+FFFD on the way, collided with the name that really holds U+FFFD. authSync refuses it now,
 * naming the field; the U+FFFD spelling is a name like any other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody, user } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';

const TENANT = 'ill-formed-names';
const LONE = 'zhao\ud800liu';
const REPLACED = 'zhao\ufffdliu';

describe('ill-formed Unicode in user names', () => {
  let e2e: E2E;
  const tenant = demoTenantAs(TENANT);
  beforeAll(async () => {
    e2e = await startE2E({ tenants: [tenant] });
    // The IdP knows both spellings (it signs in whoever it knows); only the bridge's directory decides.
    tenant.users = [...tenant.users, { userName: LONE, name: 'Zhao', role: 'user', orgCode: 'sales' }, { userName: REPLACED, name: 'Zhao FFFD', role: 'user', orgCode: 'sales' }];
  });
  afterAll(() => e2e?.close());

  const signIn = async (userName: string) => {
    const browser = new TestBrowser();
    const page = await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(TENANT, userName)}&tenant=${TENANT}`);
    return { browser, page };
  };

  it('authSync with a lone surrogate in userName is refused with 000002 naming the field, and the user is not stored', async () => {
    const answer = await e2e.bridge.sender.send('authSync', authBody([user(LONE, { name: 'Zhao' })], { tenantId: TENANT, currentSyncTime: '20990101000000000' }));
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toContain('userList[0].userName');
    expect(answer.resultMsg).toContain('well-formed Unicode');
    expect(await e2e.bridge.directory.getUser(TENANT, LONE)).toBeNull();
    expect(await e2e.bridge.directory.getUser(TENANT, REPLACED)).toBeNull();
  });

  it('a lone surrogate inside userList sent as a JSON string is refused too', async () => {
    const userList = JSON.stringify([user(LONE, { name: 'Zhao' })]); // the escape `\ud800` now sits inside a string
    const answer = await e2e.bridge.sender.send('authSync', authBody([], { tenantId: TENANT, userList, currentSyncTime: '20990101000000001' }));
    expect(answer).toMatchObject({ resultCode: '000002' });
    expect(answer.resultMsg).toContain('userList[0].userName');
  });

  it('the user with the lone surrogate cannot sign in, and /auth/check answers 401, not 500', async () => {
    const { browser, page } = await signIn(LONE);
    expect(page.status).toBe(403);
    const check = await browser.request(`${e2e.bridge.url}/auth/check`);
    expect(check.status).toBe(401);
  });

  it('the U+FFFD spelling is a user of its own: synced, signed in, and /auth/check names it', async () => {
    const answer = await e2e.bridge.sender.send('authSync', authBody([user(REPLACED)], { tenantId: TENANT, currentSyncTime: '20990101000000002' }));
    expect(answer.resultCode).toBe('000000');
    const { browser, page } = await signIn(REPLACED);
    expect(page.status).toBe(200);
    const check = await browser.request(`${e2e.bridge.url}/auth/check`);
    expect(check.status).toBe(200);
    expect(decodeURIComponent(check.headers.get('x-koo-user') ?? '')).toBe(REPLACED);
  });
});
