/**
 * The sample app's three pages. Every value from a token or userinfo is escaped: claims are
 * data the user (or a KooGallery admin) typed, and an app must never trust them as HTML.
 */
type Claims = Record<string, unknown>;

const escapeHtml = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.25rem .6rem;border-bottom:1px solid #d0d7de;vertical-align:top}
th{color:#6e7781;font-weight:normal;white-space:nowrap}td{font-family:ui-monospace,monospace;word-break:break-all}
a.button,button{display:inline-block;padding:.5rem 1rem;border:1px solid #1f6feb;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none;font-size:1rem;cursor:pointer}`;

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Sample SaaS app</title><style>${STYLE}</style></head><body>${body}</body></html>`;

/** Numbers that are times (iat, exp, auth_time) also shown as dates, which is what people read. */
const TIME_CLAIMS = new Set(['iat', 'exp', 'auth_time', 'nbf', 'updated_at']);

function table(claims: Claims): string {
  const rows = Object.entries(claims).map(([name, value]) => {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    const when = TIME_CLAIMS.has(name) && typeof value === 'number' ? ` (${new Date(value * 1000).toISOString()})` : '';
    return `<tr><th>${escapeHtml(name)}</th><td>${escapeHtml(shown + when)}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

export function signedInPage(idToken: Claims, userinfo: Claims): string {
  const who = idToken.name ?? idToken.preferred_username ?? idToken.sub;
  return page(
    'Signed in',
    `<h1>Signed in as ${escapeHtml(who)}</h1>
<p>of ${escapeHtml(idToken.tenant_name ?? idToken.tenant_id)}, through koobridge and KooGallery.</p>
<form method="post" action="/logout"><button type="submit">Sign out</button></form>
<h2>ID token claims</h2>${table(idToken)}
<h2>userinfo</h2>${table(userinfo)}`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', `<h1>Sample SaaS app</h1><p>You are signed out.</p><p><a class="button" href="/login">Sign in with KooGallery</a></p>`);
}

export function problemPage(message: string): string {
  return page('Sign-in problem', `<h1>Sign-in problem</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the app</a></p>`);
}
