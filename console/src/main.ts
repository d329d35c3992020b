/**
 * The admin console in the browser: hash routes (#/tenants/acme/users …), each drawing one view from
 * the admin API. The server rendered the frame (header, sign-out form, CSRF token, language).
 */
import { ApiError } from './api.js';
import { h, type Child, mount } from './dom.js';
import { t, type Key } from './i18n.js';
import { notice } from './ui.js';
import type { Flash, ViewContext } from './views/context.js';
import { auditView, syncLogView } from './views/logs.js';
import { clientsView, instancesView, keysView } from './views/provider.js';
import { tenantSessionsView, userView } from './views/sessions.js';
import { tenantView, tenantsView } from './views/tenants.js';
import { orgsView, usersView } from './views/users.js';

type View = (ctx: ViewContext, ...params: string[]) => Promise<Child[]>;

/** Route patterns: segments, `:name` for a parameter; the first segment names the nav entry. */
const ROUTES: [string, View][] = [
  ['tenants', () => tenantsView()],
  ['tenants/:id', (_c, id) => tenantView(id!)],
  ['tenants/:id/users', (_c, id) => usersView(id!)],
  ['tenants/:id/users/:user', (c, id, user) => userView(id!, user!, c)],
  ['tenants/:id/orgs', (_c, id) => orgsView(id!)],
  ['tenants/:id/sessions', (c, id) => tenantSessionsView(id!, c)],
  ['instances', () => instancesView()],
  ['audit', (c) => auditView(c)],
  ['sync-log', (c) => syncLogView(c)],
  ['clients', () => clientsView()],
  ['keys', () => keysView()],
];

const NAV: [string, Key][] = [
  ['tenants', 'nav.tenants'],
  ['instances', 'nav.instances'],
  ['audit', 'nav.audit'],
  ['sync-log', 'nav.syncLog'],
  ['clients', 'nav.clients'],
  ['keys', 'nav.keys'],
];

function match(path: string): { view: View; params: string[] } | null {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const [pattern, view] of ROUTES) {
    const want = pattern.split('/');
    if (want.length !== parts.length) continue;
    const params: string[] = [];
    if (want.every((w, i) => (w.startsWith(':') ? (params.push(parts[i]!), true) : w === parts[i]))) return { view, params };
  }
  return null;
}

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
let drawing = 0;

async function draw(flash?: Flash): Promise<void> {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path = '', qs = ''] = hash.split('?');
  if (path === '') {
    window.location.replace('#/tenants');
    return;
  }
  const section = path.split('/')[0];
  mount(nav, NAV.map(([r, key]) => h('a', { href: `#/${r}`, class: r === section ? 'active' : null, 'aria-current': r === section ? 'page' : null }, t(key))));
  // Each language link keeps the page the operator is on.
  for (const a of document.querySelectorAll<HTMLAnchorElement>('#languages a[data-lang]')) a.href = `/admin?lang=${a.dataset.lang}${window.location.hash}`;

  const found = match(path);
  const mine = ++drawing;
  const ctx: ViewContext = { query: new URLSearchParams(qs), refresh: (message) => void draw(message) };
  try {
    const nodes = found ? await found.view(ctx, ...found.params) : [notice(`404: ${path}`, 'error')];
    if (mine !== drawing) return; // a newer navigation won
    mount(app, flash ? notice(flash.text, flash.error ? 'error' : 'ok') : null, nodes, h('p', { class: 'muted' }, t('times')));
  } catch (err) {
    if (mine !== drawing || (err instanceof ApiError && err.status === 401)) return;
    mount(app, notice(t('error', { message: (err as Error).message }), 'error'));
  }
}

window.addEventListener('hashchange', () => void draw());
void draw();
