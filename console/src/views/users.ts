/** A tenant's users (paged, "load more") and departments (the tree). */
import { api, seg } from '../api.js';
import { h, type Child, mount } from '../dom.js';
import { statusWord, t } from '../i18n.js';
import { badge, crumbs, heading, link, mono, orDash, route, table, yesNo, type Column } from '../ui.js';

interface User {
  userName: string;
  name: string | null;
  role: string | null;
  orgCode: string | null;
  email?: string | null;
  enable: boolean | null;
  status: string;
  authorized: boolean;
  test: boolean;
}

export async function usersView(tenantId: string): Promise<Child[]> {
  const columns: Column<User>[] = [
    { title: t('col.user'), cell: (u) => link(route('tenants', tenantId, 'users', u.userName), u.userName) },
    { title: t('col.name'), cell: (u) => orDash(u.name) },
    { title: t('col.role'), cell: (u) => orDash(u.role) },
    { title: t('col.org'), cell: (u) => mono(u.orgCode) },
    { title: t('col.email'), cell: (u) => orDash(u.email) },
    { title: t('col.status'), cell: (u) => [badge(statusWord(u.status), u.status === 'active' ? 'ok' : 'bad'), u.enable === false ? [' ', badge(statusWord('disabled'), 'bad')] : null, u.test ? [' ', badge(statusWord('test'), 'warn')] : null] },
    { title: t('col.mayLogin'), cell: (u) => yesNo(u.authorized) },
  ];
  const rows: User[] = [];
  const holder = h('div', {});
  const more = h('p', { class: 'pager' });
  const load = async (cursor?: string) => {
    const page = await api<{ users: User[]; nextCursor: string | null }>(`/tenants/${seg(tenantId)}/users`, { query: { limit: '100', cursor } });
    rows.push(...page.users);
    mount(holder, table(columns, rows, { id: 'users' }));
    mount(more, page.nextCursor ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(page.nextCursor!) }, t('more')) : null);
  };
  await load();
  return [crumbs([[t('tenants.title'), route('tenants')], [tenantId, route('tenants', tenantId)], [t('tenant.users'), null]]), heading('users.title', { tenant: tenantId }), holder, more];
}

interface OrgNode {
  orgCode: string;
  orgName: string;
  orphan?: boolean;
  test: boolean;
  children: OrgNode[];
}

const tree = (nodes: OrgNode[], root = false): HTMLElement =>
  h(
    'ul',
    { class: root ? 'tree root' : 'tree' },
    nodes.map((n) =>
      h('li', {}, n.orgName, ' ', h('span', { class: 'mono muted' }, n.orgCode), n.orphan ? [' ', badge(t('orgs.orphan'), 'warn')] : null, n.test ? [' ', badge(statusWord('test'), 'warn')] : null, n.children.length ? tree(n.children) : null),
    ),
  );

export async function orgsView(tenantId: string): Promise<Child[]> {
  const body = await api<{ count: number; tree: OrgNode[] }>(`/tenants/${seg(tenantId)}/orgs`);
  return [
    crumbs([[t('tenants.title'), route('tenants')], [tenantId, route('tenants', tenantId)], [t('tenant.orgs'), null]]),
    heading('orgs.title', { tenant: tenantId }),
    h('p', { class: 'muted' }, t('orgs.count', { count: body.count })),
    body.tree.length ? h('div', { id: 'orgs' }, tree(body.tree, true)) : h('p', { class: 'muted', id: 'orgs' }, t('empty')),
  ];
}
