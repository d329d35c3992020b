/** Tenants: the list (production and test apart) and one tenant with its instances and credentials. */
import { api, seg } from '../api.js';
import { h, type Child } from '../dom.js';
import { statusWord, t, time } from '../i18n.js';
import { badge, crumbs, facts, heading, link, mono, orDash, route, table, yesNo, type Column } from '../ui.js';

interface Tenant {
  tenantId: string;
  synced: boolean;
  tenantCode: string | null;
  name: string | null;
  domainName: string | null;
  domainProblem?: string;
  instanceId: string | null;
  test: boolean;
  updatedAt: string | null;
  createdAt: string | null;
}

interface Instance {
  instanceId: string;
  status: string;
  expireTime: string | null;
  chargingMode?: string | null;
  productId: string | null;
}

interface TenantDetail extends Tenant {
  credentialsPresent: boolean;
  apps: { appId: string; clientId: string; secretReadable: boolean; current: boolean }[];
  subscription: { status: string; expiresAt: string | null; instances: Instance[]; missingInstances: string[] } | null;
  signIn: { possible: boolean; reasons: string[] };
}

export const statusBadge = (status: string) => badge(statusWord(status), status === 'active' ? 'ok' : status === 'frozen' || status === 'pending' ? 'warn' : 'bad');

const columns: Column<Tenant>[] = [
  { title: t('col.tenant'), cell: (r) => link(route('tenants', r.tenantId), r.tenantId) },
  { title: t('col.name'), cell: (r) => orDash(r.name) },
  { title: t('col.code'), cell: (r) => orDash(r.tenantCode) },
  { title: t('col.domain'), cell: (r) => r.domainName ?? (r.domainProblem ? badge(r.domainProblem, 'warn') : '—') },
  { title: t('col.instance'), cell: (r) => mono(r.instanceId) },
  { title: t('col.synced'), cell: (r) => yesNo(r.synced) },
  { title: t('col.updated'), cell: (r) => time(r.updatedAt) },
];

export async function tenantsView(): Promise<Child[]> {
  const body = await api<{ tenants: Tenant[]; testTenants: Tenant[] }>('/tenants', { query: { limit: '500' } });
  return [heading('tenants.title'), table(columns, body.tenants, { id: 'tenants' }), h('h2', {}, t('tenants.test')), table(columns, body.testTenants, { id: 'test-tenants' })];
}

export async function tenantView(tenantId: string): Promise<Child[]> {
  const d = await api<TenantDetail>(`/tenants/${seg(tenantId)}`);
  const sub = d.subscription;
  return [
    crumbs([[t('tenants.title'), route('tenants')], [tenantId, null]]),
    heading('tenant.title', { id: d.name ? `${d.name} (${tenantId})` : tenantId }),
    h(
      'p',
      { class: 'pager' },
      link(route('tenants', tenantId, 'users'), t('tenant.users')),
      link(route('tenants', tenantId, 'orgs'), t('tenant.orgs')),
      link(route('tenants', tenantId, 'sessions'), t('tenant.sessions')),
      link(`#/audit?tenant=${encodeURIComponent(tenantId)}`, t('tenant.audit')),
      link(`#/sync-log?tenant=${encodeURIComponent(tenantId)}`, t('tenant.syncLog')),
    ),
    facts([
      [t('tenant.signIn'), d.signIn.possible ? badge(t('tenant.signInYes'), 'ok') : badge(t('tenant.signInNo', { reasons: d.signIn.reasons.join('; ') }), 'bad')],
      [t('col.code'), orDash(d.tenantCode)],
      [t('col.domain'), d.domainName ?? orDash(d.domainProblem)],
      [t('col.synced'), yesNo(d.synced)],
      [t('tenant.subscriptionState'), sub ? statusBadge(sub.status) : t('none')],
      [t('col.expires'), time(sub?.expiresAt)],
      [t('col.created'), time(d.createdAt)],
      [t('col.updated'), time(d.updatedAt)],
    ]),
    h('h2', {}, t('tenant.subscription')),
    table<Instance>(
      [
        { title: t('col.instance'), cell: (i) => mono(i.instanceId) },
        { title: t('col.status'), cell: (i) => statusBadge(i.status) },
        { title: t('col.expires'), cell: (i) => time(i.expireTime) },
        { title: t('col.chargingMode'), cell: (i) => orDash(i.chargingMode) },
        { title: t('col.product'), cell: (i) => mono(i.productId) },
      ],
      sub?.instances ?? [],
      { id: 'instances' },
    ),
    sub && sub.missingInstances.length > 0 ? h('p', {}, `${t('tenant.missing')}: `, sub.missingInstances.join(', ')) : null,
    h('h2', {}, t('tenant.credentials')),
    table(
      [
        { title: t('col.appId'), cell: (a) => mono(a.appId) },
        { title: t('col.clientId'), cell: (a) => mono(a.clientId) },
        { title: t('col.secret'), cell: (a) => yesNo(a.secretReadable) },
        { title: t('col.current'), cell: (a) => yesNo(a.current) },
      ],
      d.apps,
    ),
  ];
}
