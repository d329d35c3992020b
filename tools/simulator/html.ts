/**
 * The simulator's browser pages: the unified login page, a tenant IdP's login page and short
 * messages. Plain HTML forms that work without JavaScript and load nothing from elsewhere; every
 * value is escaped, since tenant and user names are data, and query parameters echo user input.
 */
import type { ParameterizedContext } from 'koa';
import type { SimTenant } from './types.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
h1{font-size:1.3rem}label{display:block;margin:.8rem 0 .2rem}select,input{width:100%;padding:.4rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.2rem}.error{color:#a00;border:1px solid #a00;padding:.5rem}.note{color:#666;font-size:.85rem}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>`;
}

const errorBlock = (error: string | undefined): string => (error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '');
const option = (value: string, label: string, selected: boolean): string =>
  `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
const userLabel = (u: { userName: string; name: string; role: string }): string => `${u.name} (${u.userName}, ${u.role})`;

const PASSWORD_FIELD = `<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="off">
<p class="note">Simulator: any non-empty password is accepted.</p>`;

/** The marketplace's unified login page: pick a tenant, one of its users, type any password. */
export function unifiedLoginPage(opts: { tenants: SimTenant[]; error?: string; tenantId?: string; userName?: string }): string {
  const tenants = opts.tenants.map((t) => option(t.tenantId, `${t.name} (${t.tenantId})`, t.tenantId === opts.tenantId)).join('');
  // Without JavaScript the user list cannot follow the tenant choice, so every tenant's users are
  // listed, grouped; picking a user of another tenant is answered with a readable error.
  const users = opts.tenants
    .map(
      (t) =>
        `<optgroup label="${escapeHtml(t.name)}">${t.users
          .map((u) => option(u.userName, userLabel(u), t.tenantId === opts.tenantId && u.userName === opts.userName))
          .join('')}</optgroup>`,
    )
    .join('');
  return page(
    'KooGallery unified login (simulator)',
    `<h1>KooGallery unified login <small>(simulator)</small></h1>${errorBlock(opts.error)}
<form method="post" action="/unified-login/submit">
<label for="tenant">Enterprise</label><select id="tenant" name="tenant">${tenants}</select>
<label for="userName">User</label><select id="userName" name="userName">${users}</select>
${PASSWORD_FIELD}
<button type="submit">Sign in</button></form>`,
  );
}

/** A tenant IdP's own login page (aPaaS workbench, OAuth2 authorize or CAS login). */
export function tenantLoginPage(opts: { tenant: SimTenant; action: string; error?: string; userName?: string }): string {
  const users = opts.tenant.users.map((u) => option(u.userName, userLabel(u), u.userName === opts.userName)).join('');
  return page(
    `Sign in to ${opts.tenant.name} (simulator)`,
    `<h1>Sign in to ${escapeHtml(opts.tenant.name)} <small>(simulator)</small></h1>${errorBlock(opts.error)}
<form method="post" action="${escapeHtml(opts.action)}">
<label for="userName">User</label><select id="userName" name="userName">${users}</select>
${PASSWORD_FIELD}
<button type="submit">Sign in</button></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function sendHtml(ctx: ParameterizedContext, status: number, html: string): void {
  ctx.status = status;
  ctx.type = 'text/html; charset=utf-8';
  // Inline style only: nothing else may load, and nothing may frame a login page.
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  ctx.body = html;
}
