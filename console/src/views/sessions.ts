/** Active sessions of a tenant or of one user, each with "Revoke"; a user's page can revoke them all. */
import { api, seg } from '../api.js';
import { h, type Child } from '../dom.js';
import { t, time } from '../i18n.js';
import { badge, crumbs, heading, link, orDash, route, table, type Column } from '../ui.js';
import type { ViewContext } from './context.js';

interface Session {
  handle: string;
  userName: string;
  name: string | null;
  role: string | null;
  loginProtocol: string;
  createdAt: string;
  lastSeenAt: string | null;
  idleExpiresAt: string;
  absoluteExpiresAt: string;
}

function sessionTable(tenantId: string, sessions: Session[], ctx: ViewContext, showUser: boolean): HTMLElement {
  const revoke = async (s: Session, button: HTMLButtonElement) => {
    if (!window.confirm(t('revoke.confirm', { user: s.userName }))) return;
    button.disabled = true;
    await api(`/tenants/${seg(tenantId)}/sessions/${seg(s.handle)}`, { method: 'DELETE' });
    ctx.refresh({ text: t('revoke.done') });
  };
  const columns: Column<Session>[] = [
    ...(showUser ? [{ title: t('col.user'), cell: (s: Session) => link(route('tenants', tenantId, 'users', s.userName), s.userName) }, { title: t('col.name'), cell: (s: Session) => orDash(s.name) }] : []),
    { title: t('col.protocol'), cell: (s) => badge(s.loginProtocol) },
    { title: t('col.created'), cell: (s) => time(s.createdAt) },
    { title: t('col.lastSeen'), cell: (s) => time(s.lastSeenAt) },
    { title: t('col.idleEnds'), cell: (s) => time(s.idleExpiresAt) },
    { title: t('col.ends'), cell: (s) => time(s.absoluteExpiresAt) },
    {
      title: t('col.actions'),
      cell: (s) => {
        const button: HTMLButtonElement = h('button', { type: 'button', class: 'danger', 'data-user': s.userName, onclick: () => void revoke(s, button).catch((err: Error) => ctx.refresh({ text: t('error', { message: err.message }), error: true })) }, t('revoke'));
        return button;
      },
    },
  ];
  return table(columns, sessions, { id: 'sessions' });
}

export async function tenantSessionsView(tenantId: string, ctx: ViewContext): Promise<Child[]> {
  const body = await api<{ sessions: Session[]; total: number }>(`/tenants/${seg(tenantId)}/sessions`, { query: { limit: '500' } });
  return [
    crumbs([[t('tenants.title'), route('tenants')], [tenantId, route('tenants', tenantId)], [t('tenant.sessions'), null]]),
    heading('sessions.title', { tenant: tenantId }),
    h('p', { class: 'muted' }, t('sessions.total', { count: body.total })),
    sessionTable(tenantId, body.sessions, ctx, true),
  ];
}

export async function userView(tenantId: string, userName: string, ctx: ViewContext): Promise<Child[]> {
  const body = await api<{ sessions: Session[] }>(`/tenants/${seg(tenantId)}/users/${seg(userName)}/sessions`);
  const revokeAll = async (button: HTMLButtonElement) => {
    if (!window.confirm(t('revokeAll.confirm', { user: userName }))) return;
    button.disabled = true;
    const done = await api<{ revoked: number }>(`/tenants/${seg(tenantId)}/users/${seg(userName)}/sessions`, { method: 'DELETE' });
    ctx.refresh({ text: t('revokeAll.done', { count: done.revoked }) });
  };
  const all: HTMLButtonElement = h('button', { type: 'button', class: 'danger', id: 'revoke-all', disabled: body.sessions.length === 0, onclick: () => void revokeAll(all).catch((err: Error) => ctx.refresh({ text: t('error', { message: err.message }), error: true })) }, t('revokeAll'));
  return [
    crumbs([[t('tenants.title'), route('tenants')], [tenantId, route('tenants', tenantId)], [t('tenant.users'), route('tenants', tenantId, 'users')], [userName, null]]),
    heading('user.sessions', { user: userName }),
    sessionTable(tenantId, body.sessions, ctx, false),
    h('p', {}, all),
  ];
}
