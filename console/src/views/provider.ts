/** Instances, OpenID clients and signing keys: read-only tables. */
import { api } from '../api.js';
import { h, type Child } from '../dom.js';
import { t, time, type Key } from '../i18n.js';
import { badge, heading, mono, orDash, table, type Column } from '../ui.js';
import { statusBadge } from './tenants.js';

interface Instance {
  instanceId: string;
  status: string;
  expireTime: string | null;
  productId: string | null;
  orderId: string;
  test: boolean;
  updatedAt: string;
}

const instanceColumns: Column<Instance>[] = [
  { title: t('col.instance'), cell: (i) => mono(i.instanceId) },
  { title: t('col.status'), cell: (i) => statusBadge(i.status) },
  { title: t('col.expires'), cell: (i) => time(i.expireTime) },
  { title: t('col.product'), cell: (i) => mono(i.productId) },
  { title: t('col.order'), cell: (i) => mono(i.orderId) },
  { title: t('col.updated'), cell: (i) => time(i.updatedAt) },
];

export async function instancesView(): Promise<Child[]> {
  const body = await api<{ instances: Instance[]; testInstances: Instance[] }>('/instances', { query: { limit: '500' } });
  return [heading('instances.title'), table(instanceColumns, body.instances, { id: 'instances' }), h('h2', {}, t('instances.test')), table(instanceColumns, body.testInstances)];
}

interface Client {
  clientId: string;
  name: string | null;
  applicationType: string;
  firstParty: boolean;
  tokenEndpointAuthMethod: string;
  redirectUris: string[];
  grantTypes: string[];
  allowedTenants: string[] | null;
  backchannelLogoutUri: string | null;
}

const list = (items: string[]) => (items.length ? h('div', {}, items.map((i) => h('div', { class: 'mono nowrap' }, i))) : '—');

export async function clientsView(): Promise<Child[]> {
  const body = await api<{ clients: Client[] }>('/oidc/clients');
  return [
    heading('clients.title'),
    table<Client>(
      [
        { title: 'client_id', cell: (c) => mono(c.clientId) },
        { title: t('col.name'), cell: (c) => orDash(c.name) },
        { title: t('clients.type'), cell: (c) => [badge(c.applicationType), ' ', badge(c.firstParty ? t('clients.firstParty') : t('clients.thirdParty'), c.firstParty ? '' : 'warn')] },
        { title: t('clients.auth'), cell: (c) => mono(c.tokenEndpointAuthMethod) },
        { title: t('clients.redirects'), cell: (c) => list(c.redirectUris) },
        { title: t('clients.grants'), cell: (c) => list(c.grantTypes) },
        { title: t('clients.tenants'), cell: (c) => (c.allowedTenants ? list(c.allowedTenants) : t('all')) },
        { title: t('clients.backchannel'), cell: (c) => mono(c.backchannelLogoutUri) },
      ],
      body.clients,
      { id: 'clients' },
    ),
  ];
}

interface SigningKey {
  kid: string;
  alg: string;
  state: string;
  createdAt: string | null;
  retireAfter: string | null;
}

const STATE_WORDS: Record<string, Key> = { current: 'keys.current', next: 'keys.next', retired: 'keys.retired', published: 'keys.published' };

export async function keysView(): Promise<Child[]> {
  const body = await api<{ source: 'store' | 'file'; keys: SigningKey[] }>('/oidc/signing-keys');
  return [
    heading('keys.title'),
    h('p', { class: 'muted' }, t(body.source === 'file' ? 'keys.source.file' : 'keys.source.store')),
    table<SigningKey>(
      [
        { title: t('keys.kid'), cell: (k) => mono(k.kid) },
        { title: t('keys.alg'), cell: (k) => mono(k.alg) },
        { title: t('keys.state'), cell: (k) => badge(STATE_WORDS[k.state] ? t(STATE_WORDS[k.state]!) : k.state, k.state === 'current' ? 'ok' : k.state === 'retired' ? 'warn' : '') },
        { title: t('col.created'), cell: (k) => time(k.createdAt) },
        { title: t('keys.retireAfter'), cell: (k) => time(k.retireAfter) },
      ],
      body.keys,
      { id: 'keys' },
    ),
  ];
}
