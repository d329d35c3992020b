/**
 * The audit trail and the sync log, against the admin API's contract:
 *   GET /admin/api/audit?tenant=&user=&client=&kind=&from=&to=&limit=&cursor= → { events, nextCursor }
 *   GET /admin/api/sync-log?tenant=&instance=&interface=&resultCode=&from=&to=&limit=&cursor= → { entries, nextCursor }
 */
// The admin API's published contract, compiled into the console from the server's own file (it imports nothing).
import { AUDIT_KINDS, type AuditEvent, type SyncLogEntry } from '../../../src/shared/audit-log.js';
import { h } from '../dom.js';
import { t, time } from '../i18n.js';
import { badge, link, mono, orDash, route } from '../ui.js';
import type { ViewContext } from './context.js';
import { logPage } from './log-page.js';

const GOOD = new Set(['success', 'issued', 'refreshed', 'delivered', 'ok']);
const outcomeBadge = (o: string) => badge(o, GOOD.has(o) ? 'ok' : o === 'retrying' ? 'warn' : 'bad');
const tenantLink = (id?: string) => (id ? link(route('tenants', id), id) : '—');
const detailText = (d: unknown) => (d === undefined || d === null ? '—' : typeof d === 'string' ? d : h('span', { class: 'mono' }, JSON.stringify(d)));

export const auditView = (ctx: ViewContext) =>
  logPage<AuditEvent>(
    {
      title: 'audit.title',
      path: '/audit',
      field: 'events',
      hash: '#/audit',
      tableId: 'audit',
      filters: [
        { name: 'tenant', label: t('col.tenant') },
        { name: 'user', label: t('col.user') },
        { name: 'client', label: t('audit.client') },
        { name: 'kind', label: t('audit.kind'), options: AUDIT_KINDS },
        { name: 'from', label: t('filter.from'), time: true },
        { name: 'to', label: t('filter.to'), time: true },
      ],
      columns: [
        { title: t('col.at'), cell: (e) => time(e.at) },
        { title: t('audit.kind'), cell: (e) => badge(e.kind) },
        { title: t('audit.outcome'), cell: (e) => outcomeBadge(e.outcome) },
        { title: t('col.tenant'), cell: (e) => tenantLink(e.tenantId) },
        { title: t('col.user'), cell: (e) => (e.tenantId && e.userName ? link(route('tenants', e.tenantId, 'users', e.userName), e.userName) : orDash(e.userName)) },
        { title: t('audit.client'), cell: (e) => mono(e.clientId) },
        { title: t('audit.reason'), cell: (e) => orDash(e.reason) },
        { title: t('audit.detail'), cell: (e) => detailText(e.detail) },
        { title: t('audit.sourceIp'), cell: (e) => mono(e.sourceIp) },
        { title: t('audit.requestId'), cell: (e) => mono(e.requestId) },
      ],
    },
    ctx,
  );

export const syncLogView = (ctx: ViewContext) =>
  logPage<SyncLogEntry>(
    {
      title: 'syncLog.title',
      path: '/sync-log',
      field: 'entries',
      hash: '#/sync-log',
      tableId: 'sync-log',
      filters: [
        { name: 'tenant', label: t('col.tenant') },
        { name: 'instance', label: t('col.instance') },
        { name: 'interface', label: t('syncLog.interface') },
        { name: 'resultCode', label: t('syncLog.resultCode') },
        { name: 'from', label: t('filter.from'), time: true },
        { name: 'to', label: t('filter.to'), time: true },
      ],
      columns: [
        { title: t('col.at'), cell: (e) => time(e.at) },
        { title: t('syncLog.interface'), cell: (e) => mono(e.interface) },
        { title: t('syncLog.resultCode'), cell: (e) => badge(e.resultCode, e.resultCode === '000000' ? 'ok' : 'bad') },
        { title: t('syncLog.message'), cell: (e) => orDash(e.message) },
        { title: t('syncLog.summary'), cell: (e) => orDash(e.summary) },
        { title: t('col.tenant'), cell: (e) => tenantLink(e.tenantId) },
        { title: t('col.instance'), cell: (e) => mono(e.instanceId) },
        { title: t('syncLog.duration'), cell: (e) => `${e.durationMs} ms` },
        { title: t('audit.sourceIp'), cell: (e) => mono(e.sourceIp) },
        { title: t('audit.requestId'), cell: (e) => mono(e.requestId) },
      ],
    },
    ctx,
  );
