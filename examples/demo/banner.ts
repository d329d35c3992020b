/**
 * The text `npm run demo` prints: what to open, whom to sign in as, and what each user proves.
 * Built from the simulator's demo data, so the banner cannot drift from what the IdPs accept.
 */
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import type { SimUser } from '../../tools/simulator/types.js';

export interface BannerInput {
  bridgeUrl: string;
  simUrl: string;
  appUrl: string;
  adminToken: string;
}

/** Two columns, the second aligned, so URLs stay whole (copyable) whatever their length. */
function columns(rows: Array<[string, string]>): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `   ${left.padEnd(width)}   ${right}`);
}

function describeUser(user: SimUser): string {
  const notes = [user.role === 'admin' ? 'admin' : 'user'];
  // The IdP still signs a disabled user in, as KooGallery does; refusing him is the bridge's job.
  if (user.enable === false) notes.push('DISABLED: the bridge must refuse him with 403');
  return `${user.userName.padEnd(10)} ${user.name} (${notes.join(', ')})`;
}

export function demoBanner({ bridgeUrl, simUrl, appUrl, adminToken }: BannerInput): string {
  const rule = '─'.repeat(78);
  const tenants = DEMO_TENANTS.flatMap((t) => [
    `    ${t.tenantId} — ${t.name}`,
    ...t.users.map((u) => `      ${describeUser(u)}`),
  ]);
  const first = DEMO_TENANTS[0]!.tenantId;
  const cas = DEMO_TENANTS[1]?.tenantId ?? first;
  return [
    rule,
    ' koobridge demo — the bridge, a KooGallery simulator and a sample SaaS app; made-up data,',
    ' nothing leaves this machine',
    rule,
    '',
    ` Open ${appUrl} for the sample SaaS app`,
    '   → an ordinary OpenID Connect app (examples/demo/sample-app.ts, openid-client) that signs in',
    `     through the bridge's provider, issuer ${bridgeUrl}/oidc, and shows the`,
    '     ID-token claims and userinfo it receives. Sign out there to end every session.',
    ` Or ${appUrl}/cas-app/ for its CAS-protected page`,
    "   → the same app speaking CAS 3.0 to the bridge's CAS server (examples/demo/sample-cas-page.ts):",
    '     ticket, validation with attributes, single logout.',
    '',
    ` Or sign in to the bridge itself:   ${bridgeUrl}/sso/login`,
    '   → the simulated KooGallery unified login: pick an enterprise and a user, type any password.',
    '',
    ' Enterprises and users (any non-empty password):',
    ...tenants,
    '',
    ' Other ways in (straight to a tenant IdP, as the aPaaS workbench does):',
    ...columns([
      [`${bridgeUrl}/sso/login?tenant=${first}`, 'OAuth 2.0'],
      [`${bridgeUrl}/sso/login?tenant=${cas}&protocol=cas`, 'CAS 3.0'],
    ]),
    '',
    ' What an app sees once you are signed in (same browser):',
    ...columns([
      [`${bridgeUrl}/api/session`, 'the identity as JSON (401 when not signed in)'],
      [`${bridgeUrl}/auth/check`, 'forward-auth for nginx/Traefik: 200 with X-Koo-* headers, or 401'],
      [`${bridgeUrl}/sso/me`, 'the landing page'],
      [`${bridgeUrl}/sso/logout`, 'sign out'],
    ]),
    '',
    ' The subscription (what KooGallery does to an instance; the bridge ends live sessions at once):',
    ...columns([
      [`curl -X POST ${simUrl}/sim/instances/${first}/freeze`, `freeze ${first}: its users are signed out, a new sign-in is refused`],
      [`curl -X POST ${simUrl}/sim/instances/${first}/unfreeze`, 'unfreeze: signing in works again'],
    ]),
    '',
    ' Admin API (this token is a throw-away value generated for this run; printing it is safe only here):',
    `   curl -H 'Authorization: Bearer ${adminToken}' ${bridgeUrl}/admin/api/tenants`,
    `   curl -H 'Authorization: Bearer ${adminToken}' ${bridgeUrl}/admin/api/tenants/${first}/users`,
    `   curl -H 'Authorization: Bearer ${adminToken}' ${bridgeUrl}/admin/api/tenants/${first}   (its instances, order and why it can or cannot sign in)`,
    ` Admin console: ${bridgeUrl}/admin  (sign in with the token above)`,
    '',
    ` Simulator: ${simUrl}  (unified login ${simUrl}/unified-login/)`,
    ' Development settings: in-memory store (lost at exit), http IdPs allowed, fresh secrets per run.',
    ' Stop with Ctrl+C.',
    rule,
  ].join('\n');
}
